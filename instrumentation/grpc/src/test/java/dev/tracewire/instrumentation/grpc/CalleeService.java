package dev.tracewire.instrumentation.grpc;

import dev.tracewire.testing.HopSuite;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;

/**
 * The callee's SimpleService: every call type tells the hop suite when it handles a request, and
 * answers with the request's text.
 */
final class CalleeService extends SimpleServiceGrpc.SimpleServiceImplBase {
  static final int SERVER_STREAM_REPLIES = 3;

  static SimpleResponse reply(SimpleRequest request) {
    return SimpleResponse.newBuilder()
        .setResponseMessage("re: " + request.getRequestMessage())
        .build();
  }

  @Override
  public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    HopSuite.calleeHandled();
    responses.onNext(reply(request));
    responses.onCompleted();
  }

  @Override
  public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    HopSuite.calleeHandled();
    for (int i = 0; i < SERVER_STREAM_REPLIES; i++) responses.onNext(reply(request));
    responses.onCompleted();
  }

  @Override
  public StreamObserver<SimpleRequest> clientStreamingRpc(
      StreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      SimpleRequest last;

      @Override
      public void onNext(SimpleRequest request) {
        HopSuite.calleeHandled();
        last = request;
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(reply(last == null ? SimpleRequest.getDefaultInstance() : last));
        responses.onCompleted();
      }
    };
  }

  @Override
  public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(SimpleRequest request) {
        HopSuite.calleeHandled();
        responses.onNext(reply(request));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }
}
