package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;

/** Wraps each delivery to a {@link Consumer} in a CONSUMER process span. */
final class TracingConsumer implements Consumer {
  final Consumer delegate;
  private final String queue;
  private final TracingChannel channel;

  TracingConsumer(Consumer delegate, String queue, TracingChannel channel) {
    this.delegate = delegate;
    this.queue = queue;
    this.channel = channel;
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
      throws IOException {
    channel.process(
        queue,
        envelope,
        properties,
        body,
        () -> delegate.handleDelivery(consumerTag, envelope, properties, body));
  }

  @Override
  public void handleConsumeOk(String consumerTag) {
    delegate.handleConsumeOk(consumerTag);
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    delegate.handleCancelOk(consumerTag);
  }

  @Override
  public void handleCancel(String consumerTag) throws IOException {
    delegate.handleCancel(consumerTag);
  }

  @Override
  public void handleShutdownSignal(String consumerTag, ShutdownSignalException signal) {
    delegate.handleShutdownSignal(consumerTag, signal);
  }

  @Override
  public void handleRecoverOk(String consumerTag) {
    delegate.handleRecoverOk(consumerTag);
  }

  @Override
  public String toString() {
    return "TracingConsumer{" + delegate + "}";
  }
}
