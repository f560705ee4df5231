package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.tracewire.testing.TraceCapture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publish, then a {@link DefaultConsumer} handles the delivery. */
class ConsumerHopTest extends RabbitHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String queue;

  @Override
  void setUp() throws Exception {
    queue = RabbitBroker.declareQueue(callee, "consumer", null);
    callee.basicConsume(
        queue,
        true,
        new DefaultConsumer(callee) {
          @Override
          public void handleDelivery(
              String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            calleeHandled();
          }
        });
  }

  @Override
  protected void send() throws Exception {
    caller.basicPublish("", queue, null, body("order 1"));
  }
}
