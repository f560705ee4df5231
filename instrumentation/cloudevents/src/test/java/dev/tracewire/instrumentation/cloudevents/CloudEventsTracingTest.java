package dev.tracewire.instrumentation.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceCapture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CloudEventsTracingTest {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  @Test
  void inject_writesTheTracingExtensionOfTheCreateSpan() {
    CloudEvent event =
        CloudEventsTracing.create(capture.service("orders"))
            .inject(HttpEventHopSuite.orderPlaced());
    SpanData create = capture.awaitSpans(1).get(0);
    assertThat(create.getName()).isEqualTo("create com.example.order.placed");
    assertThat(event.getExtension("traceparent").toString())
        .startsWith("00-" + create.getTraceId() + "-" + create.getSpanId() + "-");
  }

  @Test
  void inject_replacesAStaleTraceparent() {
    CloudEvent stale =
        CloudEventBuilder.from(HttpEventHopSuite.orderPlaced())
            .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .build();
    CloudEvent event = CloudEventsTracing.create(capture.service("orders")).inject(stale);
    SpanData create = capture.awaitSpans(1).get(0);
    assertThat(event.getExtension("traceparent").toString()).contains(create.getSpanId());
  }

  @Test
  void extract_eventWithoutExtension_leavesTheContext() {
    CloudEventsTracing tracing = CloudEventsTracing.create(capture.service("billing"));
    Context context = tracing.extract(Context.root(), HttpEventHopSuite.orderPlaced());
    assertThat(Span.fromContext(context).getSpanContext().isValid()).isFalse();
  }

  @Test
  void attributeNames_onlyLowerCaseAlphanumericUpTo20() {
    assertThat(EventCarrier.isAttributeName("traceparent")).isTrue();
    assertThat(EventCarrier.isAttributeName("b3")).isTrue();
    assertThat(EventCarrier.isAttributeName("x-b3-traceid")).isFalse();
    assertThat(EventCarrier.isAttributeName("uber-trace-id")).isFalse();
    assertThat(EventCarrier.isAttributeName("Traceparent")).isFalse();
    assertThat(EventCarrier.isAttributeName("a".repeat(21))).isFalse();
    assertThat(EventCarrier.isAttributeName("")).isFalse();
  }
}
