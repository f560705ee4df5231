package dev.tracewire.instrumentation.cloudevents;

import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An event in structured mode (application/cloudevents+json) over HTTP. */
class HttpStructuredHopTest extends HttpEventHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  boolean structured() {
    return true;
  }
}
