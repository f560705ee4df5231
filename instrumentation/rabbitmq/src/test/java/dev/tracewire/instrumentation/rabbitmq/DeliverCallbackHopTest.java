package dev.tracewire.instrumentation.rabbitmq;

import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publish, then a {@code DeliverCallback} handles the delivery. */
class DeliverCallbackHopTest extends RabbitHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String queue;

  @Override
  void setUp() throws Exception {
    queue = RabbitBroker.declareQueue(callee, "callback", null);
    callee.basicConsume(queue, true, (consumerTag, delivery) -> calleeHandled(), consumerTag -> {});
  }

  @Override
  protected void send() throws Exception {
    caller.basicPublish("", queue, null, body("order 1"));
  }
}
