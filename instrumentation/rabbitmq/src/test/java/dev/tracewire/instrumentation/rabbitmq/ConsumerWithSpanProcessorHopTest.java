package dev.tracewire.instrumentation.rabbitmq;

import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The push-consumer hop as most users run it: the SDK also has {@code HopDiagnosticsSpanProcessor}
 * (javaagent extension or autoconfigure), which writes the same entry-span attributes again.
 */
class ConsumerWithSpanProcessorHopTest extends ConsumerHopTest {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  @Override
  protected TraceCapture capture() {
    return capture;
  }
}
