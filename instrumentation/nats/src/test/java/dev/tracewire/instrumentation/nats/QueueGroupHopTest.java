package dev.tracewire.instrumentation.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two members of one queue group; the one that gets the message continues the trace. */
class QueueGroupHopTest extends NatsHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  void setUp() throws Exception {
    for (int member = 0; member < 2; member++) {
      calleeConnection
          .createDispatcher(NatsServer.leakChecked(calleeTracing.handler(m -> calleeHandled())))
          .subscribe(subject, "workers");
    }
    calleeConnection.flush(Duration.ofSeconds(2));
  }

  @Override
  protected void send() {
    callerTracing.publish(callerConnection, NatsServer.message(subject, "order 1"));
  }

  @Test
  void queueMember_recordsGroupAndMessageId() throws Exception {
    send();
    SpanData process =
        capture
            .awaitSpan(
                s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CONSUMER, "a process span")
            .stream()
            .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CONSUMER)
            .findFirst()
            .orElseThrow();
    SpanData publish =
        capture.spans().stream()
            .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.PRODUCER)
            .findFirst()
            .orElseThrow();
    assertThat(process.getAttributes().get(NatsAttributesExtractor.CONSUMER_GROUP))
        .isEqualTo("workers");
    assertThat(
            process
                .getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id")))
        .isNotNull()
        .isEqualTo(
            publish
                .getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.stringKey("messaging.message.id")));
  }
}
