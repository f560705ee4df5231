package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A service with no tracing code of its own, run by {@link AgentPeerTest} in a child JVM under
 * OpenTelemetry's javaagent: {@code publish <queue>} sends one message, {@code consume <queue>}
 * handles one delivery.
 */
final class AgentPeer {
  public static void main(String[] args) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(RabbitBroker.HOST);
    factory.setPort(RabbitBroker.PORT);
    try (Connection connection = factory.newConnection("tracewire-agent-peer");
        Channel channel = connection.createChannel()) {
      if (args[0].equals("publish")) {
        channel.basicPublish("", args[1], null, "order 1".getBytes(StandardCharsets.UTF_8));
      } else {
        CountDownLatch handled = new CountDownLatch(1);
        channel.basicConsume(args[1], true, (tag, delivery) -> handled.countDown(), tag -> {});
        if (!handled.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("no delivery");
      }
    }
    System.out.println("agent peer done");
  }

  private AgentPeer() {}
}
