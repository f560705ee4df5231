package dev.tracewire.instrumentation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** XADD from the caller, XREADGROUP in a consumer group on the callee. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  RedisCommands<String, String> commands;
  RedisTracing callerTracing;
  RedisTracing calleeTracing;
  String stream = RedisServer.key("stream");
  volatile StreamMessage<String, String> handledEntry;

  @BeforeAll
  void connect() {
    client = RedisServer.client();
    connection = client.connect();
    commands = connection.sync();
    commands.xgroupCreate(
        XReadArgs.StreamOffset.from(stream, "$"),
        "workers",
        io.lettuce.core.XGroupCreateArgs.Builder.mkstream());
    callerTracing = RedisTracing.create(capture.service(CALLER));
    calleeTracing = RedisTracing.create(capture.service(CALLEE));
  }

  @AfterAll
  void disconnect() {
    if (commands != null) commands.del(stream);
    if (connection != null) connection.close();
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
    callerTracing.xadd(commands, stream, Map.of("order", "1"));
  }

  @Override
  protected void receive() {
    List<StreamMessage<String, String>> entries =
        commands.xreadgroup(
            Consumer.from("workers", "w1"),
            XReadArgs.Builder.count(1).block(5000),
            XReadArgs.StreamOffset.lastConsumed(stream));
    assertThat(entries).as("entries read from " + stream).hasSize(1);
    calleeTracing.process(
        "workers",
        entries.get(0),
        entry -> {
          handledEntry = entry;
          calleeHandled();
          commands.xack(stream, "workers", entry.getId());
        });
  }

  @Test
  void entry_pairsByEntryId_andHandlerSeesTheAppFieldsOnly() {
    send();
    receive();
    List<SpanData> spans = capture.awaitSpans(2);
    SpanData publish =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    SpanData process =
        spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
    assertThat(publish.getAttributes().get(MESSAGE_ID))
        .isEqualTo(handledEntry.getId())
        .isEqualTo(process.getAttributes().get(MESSAGE_ID));
    assertThat(handledEntry.getBody()).isEqualTo(Map.of("order", "1"));
    assertThat(process.getAttributes().get(RedisAttributesExtractor.CONSUMER_GROUP))
        .isEqualTo("workers");
  }
}
