package dev.tracewire.instrumentation.grpc;

import io.grpc.stub.StreamObserver;

/** Handles every message in a span continuing the context it carried. */
final class ReceivingObserver<M> implements StreamObserver<M> {
  private final MessageContext<M> messageContext;
  private final StreamObserver<M> delegate;

  ReceivingObserver(MessageContext<M> messageContext, StreamObserver<M> delegate) {
    this.messageContext = messageContext;
    this.delegate = delegate;
  }

  @Override
  public void onNext(M message) {
    messageContext.process(message, delegate::onNext);
  }

  @Override
  public void onError(Throwable t) {
    delegate.onError(t);
  }

  @Override
  public void onCompleted() {
    delegate.onCompleted();
  }

  @Override
  public String toString() {
    return "ReceivingObserver{" + delegate + "}";
  }
}
