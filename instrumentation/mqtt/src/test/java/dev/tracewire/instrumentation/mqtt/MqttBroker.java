package dev.tracewire.instrumentation.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.tracewire.testing.HopSuite;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The machine's Mosquitto at 127.0.0.1:1883. */
final class MqttBroker {
  static final String HOST = "127.0.0.1";
  static final int PORT = 1883;
  static final String START = "mosquitto -d -c /etc/mosquitto/mosquitto.conf";

  static Mqtt5AsyncClient connect5() {
    return connect5(PORT);
  }

  static Mqtt5AsyncClient connect5(int port) {
    Mqtt5AsyncClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id())
            .serverHost(HOST)
            .serverPort(port)
            .buildAsync();
    try {
      client.connect().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw unreachable(port, e);
    }
    return client;
  }

  static Mqtt3AsyncClient connect3() {
    Mqtt3AsyncClient client =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(id())
            .serverHost(HOST)
            .serverPort(PORT)
            .buildAsync();
    try {
      client.connect().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw unreachable(PORT, e);
    }
    return client;
  }

  static AssertionError unreachable(int port, Exception e) {
    return new AssertionError(
        "Mosquitto (MQTT) not reachable at "
            + HOST
            + ":"
            + port
            + " — start it with: "
            + START
            + " ("
            + e
            + ")",
        e);
  }

  static String id() {
    return "tracewire-" + UUID.randomUUID();
  }

  static String topic(String prefix) {
    return "tracewire/" + prefix + "/" + UUID.randomUUID();
  }

  /** A callback that fails the hop suite when it leaves a context current on its thread. */
  static <T> Consumer<T> leakChecked(Consumer<T> callback) {
    return message -> HopSuite.leakChecked(() -> callback.accept(message)).run();
  }

  static byte[] body(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private MqttBroker() {}
}
