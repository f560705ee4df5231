package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.tracewire.testing.HopSuite;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The machine's RabbitMQ at 127.0.0.1:5672 (guest/guest); consumers run on a pool that fails the
 * hop suite when a delivery leaves a context current.
 */
final class RabbitBroker implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private final Connection connection;
  private final ThreadPoolExecutor consumers;

  private RabbitBroker(Connection connection, ThreadPoolExecutor consumers) {
    this.connection = connection;
    this.consumers = consumers;
  }

  static RabbitBroker connect() {
    return connect(PORT);
  }

  static RabbitBroker connect(int port) {
    ThreadPoolExecutor consumers =
        new ThreadPoolExecutor(2, 2, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>()) {
          @Override
          public void execute(Runnable task) {
            super.execute(HopSuite.leakChecked(task));
          }
        };
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(HOST);
    factory.setPort(port);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setConnectionTimeout(3000);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setSharedExecutor(consumers);
    try {
      return new RabbitBroker(factory.newConnection("tracewire-rabbitmq-test"), consumers);
    } catch (IOException | TimeoutException e) {
      consumers.shutdownNow();
      throw new AssertionError(
          "RabbitMQ not reachable at "
              + HOST
              + ":"
              + port
              + " — start it with: rabbitmq-server -detached ("
              + e
              + ")",
          e);
    }
  }

  Channel channel() throws IOException {
    return connection.createChannel();
  }

  /**
   * Declares a queue of this connection only, gone when the connection closes, named uniquely so
   * runs never see each other's messages.
   */
  static String declareQueue(Channel channel, String prefix, Map<String, Object> arguments)
      throws IOException {
    String name = "tracewire." + prefix + "." + UUID.randomUUID();
    channel.queueDeclare(name, false, true, true, arguments);
    return name;
  }

  /** Polls {@code queue} until a message arrives; the broker routes asynchronously. */
  static GetResponse awaitGet(Channel channel, String queue) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      GetResponse response = channel.basicGet(queue, true);
      if (response != null) return response;
      Thread.sleep(5);
    }
    throw new AssertionError("no message arrived in " + queue + " within 10 s");
  }

  @Override
  public void close() throws IOException {
    try {
      connection.close();
    } finally {
      consumers.shutdownNow();
    }
  }
}
