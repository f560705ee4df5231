package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;

/** Context survives a client-streaming call. */
class ClientStreamingHopTest extends GrpcHopSuite {
  @Override
  protected void send() throws Exception {
    Responses responses = new Responses();
    StreamObserver<SimpleRequest> requests = peers.asyncStub().clientStreamingRpc(responses);
    requests.onNext(request("upload"));
    requests.onCompleted();
    assertThat(responses.await()).extracting("responseMessage").containsExactly("re: upload");
  }
}
