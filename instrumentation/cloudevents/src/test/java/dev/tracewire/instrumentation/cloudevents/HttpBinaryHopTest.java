package dev.tracewire.instrumentation.cloudevents;

import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An event in binary mode (ce- headers) over HTTP. */
class HttpBinaryHopTest extends HttpEventHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  boolean structured() {
    return false;
  }
}
