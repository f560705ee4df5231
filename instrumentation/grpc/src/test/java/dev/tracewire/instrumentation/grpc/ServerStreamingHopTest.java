package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.testing.protobuf.SimpleResponse;
import java.util.ArrayList;
import java.util.List;

/** Context survives a server-streaming call. */
class ServerStreamingHopTest extends GrpcHopSuite {
  @Override
  protected void send() {
    List<SimpleResponse> responses = new ArrayList<>();
    peers.blockingStub().serverStreamingRpc(request("list")).forEachRemaining(responses::add);
    assertThat(responses).hasSize(CalleeService.SERVER_STREAM_REPLIES);
  }
}
