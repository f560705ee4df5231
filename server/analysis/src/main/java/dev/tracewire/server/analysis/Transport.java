package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Span;

/**
 * How a hop travels, read from semantic-convention attributes; {@link #wireName()} is the stable
 * name in JSON and storage.
 *
 * <p>{@code Transport t = Transport.of(span); // KAFKA for messaging.system=kafka}
 */
public enum Transport {
  HTTP("http", false),
  GRPC("grpc", false),
  KAFKA("kafka", true),
  RABBITMQ("rabbitmq", true),
  NATS("nats", true),
  MQTT("mqtt", true),
  REDIS("redis", true),
  /** Any other broker ({@code messaging.system} such as {@code activemq} or {@code aws_sqs}). */
  MESSAGING("messaging", true),
  UNKNOWN("unknown", false);

  private static final Transport[] VALUES = values();

  private final String wireName;
  private final boolean messaging;

  Transport(String wireName, boolean messaging) {
    this.wireName = wireName;
    this.messaging = messaging;
  }

  /** The stable lower-case name, e.g. {@code kafka}. */
  public String wireName() {
    return wireName;
  }

  /** True for brokers and pub/sub, whose hops settle slowly and may pair through links. */
  public boolean isMessaging() {
    return messaging;
  }

  /** Returns the transport with this wire name, or {@code null}. */
  public static Transport fromWireName(String wireName) {
    for (Transport t : VALUES) {
      if (t.wireName.equals(wireName)) return t;
    }
    return null;
  }

  /**
   * The transport one span speaks, from {@code messaging.system}, {@code rpc.system}, HTTP
   * attributes (current and older semconv, Zipkin/Brave tags) or {@code db.system=redis}; {@link
   * #UNKNOWN} when none is present.
   */
  public static Transport of(Span span) {
    return SpanFacts.of(span).transport; // one reading of the attributes, shared with the detectors
  }

  static Transport ofMessagingSystem(String system) {
    switch (system.toLowerCase(java.util.Locale.ROOT)) {
      case "kafka":
        return KAFKA;
      case "rabbitmq":
        return RABBITMQ;
      case "nats":
        return NATS;
      case "mqtt":
        return MQTT;
      case "redis":
        return REDIS;
      default:
        return MESSAGING;
    }
  }
}
