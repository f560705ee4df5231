package dev.tracewire.instrumentation.nats;

import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core NATS publish, a dispatcher subscription handles it. */
class SubscribeHopTest extends NatsHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  void setUp() throws Exception {
    calleeConnection
        .createDispatcher(NatsServer.leakChecked(calleeTracing.handler(m -> calleeHandled())))
        .subscribe(subject);
    calleeConnection.flush(java.time.Duration.ofSeconds(2));
  }

  @Override
  protected void send() {
    callerTracing.publish(callerConnection, NatsServer.message(subject, "order 1"));
  }
}
