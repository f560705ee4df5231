package dev.tracewire.server.app;

import dev.tracewire.server.storage.SpanStore;

/** Starts servers on free loopback ports. */
final class TestServers {
  static ServerConfig.Builder freePorts() {
    return ServerConfig.newBuilder().otlpGrpcPort(0).otlpHttpPort(0).zipkinPort(0).queryPort(0);
  }

  static TracewireServer start(SpanStore store) {
    return TracewireServer.start(freePorts().build(), store);
  }

  private TestServers() {}
}
