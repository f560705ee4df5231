package dev.tracewire.testing;

import dev.tracewire.propagation.HopAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Set;

/** Reading the facts a hop assertion needs from a finished span. */
final class Spans {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SYSTEM_NAME = AttributeKey.stringKey("rpc.system.name");
  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_METHOD_OLD = AttributeKey.stringKey("http.method");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<Long> KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<List<String>> REQUEST_ID =
      AttributeKey.stringArrayKey("http.request.header.x-request-id");

  /** Messaging systems named as the transport; any other messaging system is "messaging". */
  static final Set<String> MESSAGING_TRANSPORTS =
      Set.of("kafka", "rabbitmq", "nats", "mqtt", "redis");

  static String service(SpanData span) {
    String name = span.getResource().getAttribute(TraceCapture.SERVICE_NAME);
    return name == null ? "unknown_service" : name;
  }

  static boolean isExit(SpanData span) {
    return span.getKind() == SpanKind.CLIENT || span.getKind() == SpanKind.PRODUCER;
  }

  static boolean isEntry(SpanData span) {
    return span.getKind() == SpanKind.SERVER || span.getKind() == SpanKind.CONSUMER;
  }

  /**
   * The transport from semantic-convention attributes: {@code http}, the {@code rpc.system} (e.g.
   * {@code grpc}), the {@code messaging.system} when it is one we name, {@code messaging}, or
   * {@code unknown}.
   */
  static String transport(SpanData span) {
    String messaging = span.getAttributes().get(MESSAGING_SYSTEM);
    if (messaging != null)
      return MESSAGING_TRANSPORTS.contains(messaging) ? messaging : "messaging";
    String rpc = span.getAttributes().get(RPC_SYSTEM);
    if (rpc == null) rpc = span.getAttributes().get(RPC_SYSTEM_NAME);
    if (rpc != null) return rpc;
    if (span.getAttributes().get(HTTP_METHOD) != null
        || span.getAttributes().get(HTTP_METHOD_OLD) != null) {
      return "http";
    }
    return "unknown";
  }

  /** Whether a hop's transport satisfies the one asked for; "messaging" accepts every broker. */
  static boolean transportMatches(String actual, String expected) {
    if (actual.equals(expected)) return true;
    return expected.equals("messaging")
        && (actual.equals("messaging") || MESSAGING_TRANSPORTS.contains(actual));
  }

  static List<String> received(SpanData span) {
    return span.getAttributes().get(HopAttributes.RECEIVED);
  }

  static List<String> injected(SpanData span) {
    return span.getAttributes().get(HopAttributes.INJECTED);
  }

  /** {@code payments' SERVER span GET /pay}. */
  static String describe(SpanData span) {
    return possessive(service(span)) + " " + span.getKind() + " span " + span.getName();
  }

  /** {@code payments'}, {@code orders'}, {@code ledger's}. */
  static String possessive(String service) {
    return service.endsWith("s") ? service + "'" : service + "'s";
  }

  /** {@code SERVER GET /pay (payments, 00f067aa0ba902b7)} for lists of spans. */
  static String brief(SpanData span) {
    return span.getKind()
        + " "
        + span.getName()
        + " ("
        + service(span)
        + ", "
        + span.getTraceId()
        + "/"
        + span.getSpanId()
        + ")";
  }

  private Spans() {}
}
