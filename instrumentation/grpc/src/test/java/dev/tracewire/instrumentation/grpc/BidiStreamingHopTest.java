package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;

/** Context survives a bidi-streaming call. */
class BidiStreamingHopTest extends GrpcHopSuite {
  @Override
  protected void send() throws Exception {
    Responses responses = new Responses();
    StreamObserver<SimpleRequest> requests = peers.asyncStub().bidiStreamingRpc(responses);
    requests.onNext(request("chat"));
    requests.onCompleted();
    assertThat(responses.await()).extracting("responseMessage").containsExactly("re: chat");
  }
}
