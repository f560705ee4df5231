package dev.tracewire.instrumentation.nats;

import dev.tracewire.testing.TraceCapture;
import io.nats.client.PushSubscribeOptions;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JetStream publish, a push consumer handles and acks. */
class JetStreamPushHopTest extends NatsHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String stream;

  @Override
  void setUp() throws Exception {
    stream = NatsServer.stream(calleeConnection, subject);
    calleeConnection
        .jetStream()
        .subscribe(
            subject,
            calleeConnection.createDispatcher(),
            NatsServer.leakChecked(
                calleeTracing.handler(
                    message -> {
                      calleeHandled();
                      message.ack();
                    })),
            false,
            PushSubscribeOptions.builder().stream(stream).build());
  }

  @Override
  void tearDown() {
    if (stream != null) NatsServer.deleteStream(calleeConnection, stream);
  }

  @Override
  protected void send() throws Exception {
    callerTracing.publish(callerConnection.jetStream(), NatsServer.message(subject, "order 1"));
  }
}
