package dev.tracewire.instrumentation.grpc;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import io.grpc.testing.protobuf.SimpleRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The shared hop suite over a real netty server on loopback, one subclass per call type. The SDKs
 * run without {@code HopDiagnosticsSpanProcessor}, so the diagnostics checked are the ones {@link
 * GrpcTracing} records itself.
 */
abstract class GrpcHopSuite extends HopSuite {
  // one capture per test class, made by hand: a closed capture's exporter stays shut down, and the
  // subclasses share these fields
  static TraceCapture capture;
  static GrpcPeers peers;

  @BeforeAll
  static void startPeers() {
    capture = TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();
    peers =
        GrpcPeers.start(
            GrpcTracing.create(capture.service(CALLER)),
            GrpcTracing.create(capture.service(CALLEE)),
            new CalleeService());
  }

  @BeforeEach
  void resetCapture() {
    capture.reset();
  }

  @AfterAll
  static void stopPeers() {
    try {
      if (peers != null) peers.close();
    } finally {
      capture.close();
    }
  }

  static SimpleRequest request(String text) {
    return SimpleRequest.newBuilder().setRequestMessage(text).build();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "grpc";
  }
}
