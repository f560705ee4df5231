package dev.tracewire.instrumentation.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.nats.client.Connection;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One publish, three subscribing services: each consumer span is the publish span's child. */
class FanOutTest {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  @Test
  void publish_everySubscriberContinuesTheOnePublishSpan() throws Exception {
    String subject = NatsServer.subject("fanout");
    List<String> subscribers = List.of("billing", "shipping", "audit");
    try (Connection publisher = NatsServer.connect();
        Connection subscriber = NatsServer.connect()) {
      for (String service : subscribers) {
        subscriber
            .createDispatcher(NatsTracing.create(capture.service(service)).handler(m -> {}))
            .subscribe(subject);
      }
      subscriber.flush(Duration.ofSeconds(2));
      NatsTracing.create(capture.service("orders"))
          .publish(publisher, NatsServer.message(subject, "order 1"));
      List<SpanData> spans = capture.awaitSpans(4);
      SpanData publish =
          spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
      assertThat(spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER))
          .hasSize(3)
          .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(publish.getSpanId()));
      TraceAssert.assertThat(capture.trace(publish.getTraceId()))
          .isUnbroken()
          .hasHop("orders", "billing", "nats")
          .hasHop("orders", "shipping", "nats")
          .hasHop("orders", "audit", "nats");
    }
  }

  @Test
  void unreachableServer_failsNamingNatsAndItsStartCommand() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NatsServer.connect("nats://127.0.0.1:1"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("NATS not reachable at nats://127.0.0.1:1")
        .hasMessageContaining("nats-server");
  }
}
