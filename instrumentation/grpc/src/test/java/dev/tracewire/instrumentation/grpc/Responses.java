package dev.tracewire.instrumentation.grpc;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Collects the responses of an async call; {@link #await()} returns them once it completed. */
final class Responses implements StreamObserver<SimpleResponse> {
  private final List<SimpleResponse> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<List<SimpleResponse>> done = new CompletableFuture<>();

  @Override
  public void onNext(SimpleResponse response) {
    received.add(response);
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    done.complete(List.copyOf(received));
  }

  List<SimpleResponse> await() throws Exception {
    return done.get(10, TimeUnit.SECONDS);
  }

  List<SimpleResponse> received() {
    return List.copyOf(received);
  }
}
