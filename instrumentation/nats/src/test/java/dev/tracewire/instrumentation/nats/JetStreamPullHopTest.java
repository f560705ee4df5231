package dev.tracewire.instrumentation.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceCapture;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JetStream publish, a pull consumer fetches and processes on the test thread; a nak'd message is
 * redelivered and its second process span still continues the original publish.
 */
class JetStreamPullHopTest extends NatsHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String stream;
  JetStreamSubscription pull;

  @Override
  void setUp() throws Exception {
    stream = NatsServer.stream(calleeConnection, subject);
    pull =
        calleeConnection
            .jetStream()
            .subscribe(
                subject,
                PullSubscribeOptions.builder().stream(stream)
                    .durable("workers")
                    .configuration(
                        ConsumerConfiguration.builder().ackWait(Duration.ofSeconds(30)).build())
                    .build());
  }

  @Override
  void tearDown() {
    if (stream != null) NatsServer.deleteStream(calleeConnection, stream);
  }

  @Override
  protected void send() throws Exception {
    callerTracing.publish(callerConnection.jetStream(), NatsServer.message(subject, "order 1"));
  }

  @Override
  protected void receive() throws Exception {
    Message message = fetchOne();
    calleeTracing.process(
        message,
        m -> {
          calleeHandled();
          m.ack();
        });
  }

  Message fetchOne() {
    List<Message> messages = pull.fetch(1, Duration.ofSeconds(5));
    assertThat(messages).as("messages fetched from " + stream).hasSize(1);
    return messages.get(0);
  }

  @Test
  void redelivery_afterNak_continuesTheOriginalPublish() throws Exception {
    send();
    calleeTracing.process(fetchOne(), Message::nak);
    calleeTracing.process(fetchOne(), Message::ack);
    List<SpanData> spans = capture.awaitSpans(3);
    SpanData publish =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    List<SpanData> processes =
        spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
    assertThat(processes).hasSize(2);
    assertThat(processes)
        .allSatisfy(
            p -> {
              assertThat(p.getTraceId()).isEqualTo(publish.getTraceId());
              assertThat(p.getParentSpanId()).isEqualTo(publish.getSpanId());
              assertThat(p.getAttributes().get(NatsAttributesExtractor.STREAM_SEQUENCE))
                  .isEqualTo(publish.getAttributes().get(NatsAttributesExtractor.STREAM_SEQUENCE));
            });
    assertThat(processes)
        .extracting(p -> p.getAttributes().get(NatsAttributesExtractor.DELIVERED_COUNT))
        .containsExactlyInAnyOrder(1L, 2L);
  }
}
