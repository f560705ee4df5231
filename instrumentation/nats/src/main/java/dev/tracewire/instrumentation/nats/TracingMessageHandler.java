package dev.tracewire.instrumentation.nats;

import io.nats.client.Message;
import io.nats.client.MessageHandler;

/** A handler that processes each message in a CONSUMER span. */
final class TracingMessageHandler implements MessageHandler {
  private final NatsTracing tracing;
  private final MessageHandler delegate;

  TracingMessageHandler(NatsTracing tracing, MessageHandler delegate) {
    this.tracing = tracing;
    this.delegate = delegate;
  }

  @Override
  public void onMessage(Message message) throws InterruptedException {
    tracing.process(message, delegate);
  }

  @Override
  public String toString() {
    return "Tracing{" + delegate + "}";
  }
}
