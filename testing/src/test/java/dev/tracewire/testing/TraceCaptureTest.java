package dev.tracewire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceCaptureTest {

  @Test
  void serviceAfterClose_stillExports() {
    TraceCapture capture = TraceCapture.create();
    capture.service("orders").getTracer("test").spanBuilder("before").startSpan().end();
    capture.close();

    capture.service("orders").getTracer("test").spanBuilder("after").startSpan().end();

    assertThat(capture.spans()).extracting(span -> span.getName()).contains("before", "after");
    capture.close();
  }
}
