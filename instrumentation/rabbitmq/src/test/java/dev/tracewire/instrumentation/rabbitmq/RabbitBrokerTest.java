package dev.tracewire.instrumentation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class RabbitBrokerTest {
  @Test
  void connect_unreachable_failsNamingTheServiceAndHowToStartIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThatThrownBy(() -> RabbitBroker.connect(closedPort))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("RabbitMQ not reachable at 127.0.0.1:" + closedPort)
        .hasMessageContaining("start it with: rabbitmq-server -detached");
  }
}
