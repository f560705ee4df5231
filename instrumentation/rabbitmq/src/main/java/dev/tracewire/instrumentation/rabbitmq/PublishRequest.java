package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.SpanLinksBuilder;
import java.util.Map;

/** One {@code basic.publish}, as the producer span sees it. */
final class PublishRequest {
  final String exchange;
  final String routingKey;
  final AMQP.BasicProperties properties;
  final String messageId;
  final long bodySize;
  final Peer peer;

  /** The original publish of a message published again, or invalid. */
  final SpanContext origin;

  PublishRequest(
      String exchange,
      String routingKey,
      AMQP.BasicProperties properties,
      String messageId,
      long bodySize,
      Peer peer,
      SpanContext origin) {
    this.exchange = exchange;
    this.routingKey = routingKey;
    this.properties = properties;
    this.messageId = messageId;
    this.bodySize = bodySize;
    this.peer = peer;
    this.origin = origin;
  }

  static void addLinks(SpanLinksBuilder links, Context parentContext, PublishRequest request) {
    if (request.origin.isValid()) links.addLink(request.origin, OriginHeader.LINK_ATTRIBUTES);
  }

  Map<String, Object> headers() {
    return properties == null ? null : properties.getHeaders();
  }
}
