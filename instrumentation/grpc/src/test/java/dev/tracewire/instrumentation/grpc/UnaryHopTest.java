package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

/** Context survives a unary call. */
class UnaryHopTest extends GrpcHopSuite {
  @Override
  protected void send() {
    assertThat(peers.blockingStub().unaryRpc(request("pay")).getResponseMessage())
        .isEqualTo("re: pay");
  }
}
