package dev.tracewire.instrumentation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.instrumentation.envelope.Envelope;
import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis Pub/Sub with the payload envelope: the callee's traced listener sees the payload byte for
 * byte, a listener without the kit sees the envelope, and two traced subscribers both continue the
 * one publish (fan-out).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final byte[] PAYLOAD = {'{', 0, (byte) 0xFE, '}'};

  RedisClient client;
  StatefulRedisConnection<String, byte[]> publisher;
  StatefulRedisPubSubConnection<String, byte[]> callee;
  StatefulRedisPubSubConnection<String, byte[]> plain;
  RedisTracing callerTracing;
  String channel = RedisServer.key("pubsub");
  final BlockingQueue<byte[]> tracedPayloads = new LinkedBlockingQueue<>();
  final BlockingQueue<byte[]> plainPayloads = new LinkedBlockingQueue<>();

  @BeforeAll
  void connect() {
    client = RedisServer.client();
    publisher = client.connect(RedisServer.STRING_BYTES);
    callerTracing = RedisTracing.create(capture.service(CALLER));
    callee = client.connectPubSub(RedisServer.STRING_BYTES);
    RedisPubSubListener<String, byte[]> traced =
        RedisTracing.create(capture.service(CALLEE))
            .listener(
                new RedisPubSubAdapter<>() {
                  @Override
                  public void message(String channel, byte[] message) {
                    tracedPayloads.add(message);
                    calleeHandled();
                  }
                });
    // the leak check runs outside the traced listener, where no context may remain
    callee.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] message) {
            HopSuite.leakChecked(() -> traced.message(channel, message)).run();
          }
        });
    callee.sync().subscribe(channel);
    plain = client.connectPubSub(RedisServer.STRING_BYTES);
    plain.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] message) {
            plainPayloads.add(message);
          }
        });
    plain.sync().subscribe(channel);
  }

  @AfterAll
  void disconnect() {
    if (callee != null) callee.close();
    if (plain != null) plain.close();
    if (publisher != null) publisher.close();
    if (client != null) client.shutdown();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "redis";
  }

  @Override
  protected void send() {
    tracedPayloads.clear();
    plainPayloads.clear();
    assertThat(callerTracing.publish(publisher.sync(), channel, PAYLOAD))
        .as("receivers")
        .isEqualTo(2);
  }

  @Test
  void tracedListener_seesPayloadByteForByte_plainListenerSeesEnvelope() throws Exception {
    send();
    assertThat(tracedPayloads.poll(5, TimeUnit.SECONDS)).isEqualTo(PAYLOAD);
    byte[] seenWithoutKit = plainPayloads.poll(5, TimeUnit.SECONDS);
    assertThat(Envelope.unwrap(seenWithoutKit).payload()).isEqualTo(PAYLOAD);
  }

  @Test
  void fanOut_everyTracedSubscriberContinuesTheOnePublish() throws Exception {
    StatefulRedisPubSubConnection<String, byte[]> second =
        client.connectPubSub(RedisServer.STRING_BYTES);
    try {
      BlockingQueue<byte[]> secondPayloads = new LinkedBlockingQueue<>();
      second.addListener(
          RedisTracing.create(capture.service("audit"))
              .listener(
                  new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, byte[] message) {
                      secondPayloads.add(message);
                    }
                  }));
      second.sync().subscribe(channel);
      callerTracing.publish(publisher.sync(), channel, PAYLOAD);
      assertThat(secondPayloads.poll(5, TimeUnit.SECONDS)).isEqualTo(PAYLOAD);
      List<SpanData> spans = capture.awaitSpans(3);
      SpanData publish =
          spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
      assertThat(spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER))
          .hasSize(2)
          .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(publish.getSpanId()));
      TraceAssert.assertThat(capture.trace(publish.getTraceId()))
          .isUnbroken()
          .hasHop(CALLER, CALLEE, "redis")
          .hasHop(CALLER, "audit", "redis");
    } finally {
      second.close();
    }
  }
}
