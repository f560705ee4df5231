package dev.tracewire.instrumentation.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceCapture;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A message re-published as is carries the new publish's context, not the one it came with. */
class RepublishTest {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  @Test
  void republishedMessage_carriesTheNewPublishNotTheStaleHeaders() throws Exception {
    String subject = NatsServer.subject("republish");
    try (Connection connection = NatsServer.connect()) {
      BlockingQueue<Message> received = new LinkedBlockingQueue<>();
      connection
          .createDispatcher(NatsTracing.create(capture.service("audit")).handler(received::add))
          .subscribe(subject);
      connection.flush(Duration.ofSeconds(2));
      Message stale =
          NatsMessage.builder()
              .subject(subject)
              .headers(
                  new Headers()
                      .put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                      .put("baggage", "stale=1"))
              .data(NatsServer.body("order 1"))
              .build();
      NatsTracing.create(capture.service("orders")).publish(connection, stale);
      Message delivered = received.poll(5, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull();
      assertThat(delivered.getHeaders().get("baggage")).isNull();
      List<SpanData> spans = capture.awaitSpans(2);
      SpanData publish =
          spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
      assertThat(publish.getTraceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c");
      assertThat(delivered.getHeaders().getFirst("traceparent")).contains(publish.getSpanId());
    }
  }
}
