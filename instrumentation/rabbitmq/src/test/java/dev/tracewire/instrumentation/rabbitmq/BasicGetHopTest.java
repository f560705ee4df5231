package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.GetResponse;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publish, then the callee pulls the message with {@code basicGet} on the test thread. */
class BasicGetHopTest extends RabbitHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String queue;

  @Override
  void setUp() throws Exception {
    queue = RabbitBroker.declareQueue(callee, "get", null);
  }

  @Override
  protected void send() throws Exception {
    caller.basicPublish("", queue, null, body("order 1"));
  }

  @Override
  protected void receive() throws Exception {
    GetResponse response = RabbitBroker.awaitGet(callee, queue);
    try (Scope ignored = calleeTracing.context(response).makeCurrent()) {
      calleeHandled();
    }
  }
}
