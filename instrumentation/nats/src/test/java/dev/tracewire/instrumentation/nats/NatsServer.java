package dev.tracewire.instrumentation.nats;

import dev.tracewire.testing.HopSuite;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.UUID;

/** The machine's NATS (JetStream on) at 127.0.0.1:4222. */
final class NatsServer {
  static final String URL = "nats://127.0.0.1:4222";
  static final String START =
      "start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server --"
          + " -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log";

  static Connection connect() {
    return connect(URL);
  }

  static Connection connect(String url) {
    try {
      return Nats.connect(
          Options.builder()
              .server(url)
              .connectionTimeout(Duration.ofSeconds(3))
              .maxReconnects(0)
              .build());
    } catch (Exception e) {
      throw new AssertionError(
          "NATS not reachable at " + url + " — start it with: " + START + " (" + e + ")", e);
    }
  }

  /** A subject no other run sees. */
  static String subject(String prefix) {
    return "tracewire." + prefix + "." + UUID.randomUUID().toString().replace("-", "");
  }

  /** Creates a memory stream on {@code subject} and returns its name. */
  static String stream(Connection connection, String subject) throws Exception {
    String name = "TW_" + UUID.randomUUID().toString().replace("-", "");
    JetStreamManagement management = connection.jetStreamManagement();
    management.addStream(
        StreamConfiguration.builder()
            .name(name)
            .subjects(subject)
            .storageType(StorageType.Memory)
            .build());
    return name;
  }

  static void deleteStream(Connection connection, String name) {
    try {
      connection.jetStreamManagement().deleteStream(name);
    } catch (Exception e) {
      // memory streams go with the server anyway
    }
  }

  /** A handler that fails the hop suite when it leaves a context current on its thread. */
  static MessageHandler leakChecked(MessageHandler handler) {
    return message ->
        HopSuite.leakChecked(
                () -> {
                  try {
                    handler.onMessage(message);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .run();
  }

  static byte[] body(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static Message message(String subject, String text) {
    return io.nats.client.impl.NatsMessage.builder().subject(subject).data(body(text)).build();
  }

  private NatsServer() {}
}
