package dev.tracewire.instrumentation.grpc;

import io.grpc.stub.StreamObserver;

/** Sends every message carrying the context current when it is sent. */
final class SendingObserver<M> implements StreamObserver<M> {
  private final MessageContext<M> messageContext;
  private final StreamObserver<M> delegate;

  SendingObserver(MessageContext<M> messageContext, StreamObserver<M> delegate) {
    this.messageContext = messageContext;
    this.delegate = delegate;
  }

  @Override
  public void onNext(M message) {
    messageContext.send(message, delegate::onNext);
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
    return "SendingObserver{" + delegate + "}";
  }
}
