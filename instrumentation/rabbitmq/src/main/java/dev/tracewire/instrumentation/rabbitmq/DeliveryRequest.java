package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.SpanLinksBuilder;
import java.util.Map;

/** One delivered message (pushed to a consumer or returned by {@code basicGet}). */
final class DeliveryRequest {
  final String queue;
  final Envelope envelope;
  final AMQP.BasicProperties properties;
  final long bodySize;
  final Peer peer;

  /** The context current when the message arrived. */
  final Context base;

  /**
   * {@link #base} with what the message's headers carried (remote parent, baggage, diagnostics).
   */
  final Context extracted;

  /** Non-null when the broker dead-lettered this message. */
  final Death death;

  /** Whether the span links to the publish (dead-lettered, or another span is its parent). */
  final boolean linkToPublish;

  private DeliveryRequest(
      String queue,
      Envelope envelope,
      AMQP.BasicProperties properties,
      long bodySize,
      Peer peer,
      Context base,
      Context extracted,
      Death death,
      boolean linkToPublish) {
    this.queue = queue;
    this.envelope = envelope;
    this.properties = properties;
    this.bodySize = bodySize;
    this.peer = peer;
    this.base = base;
    this.extracted = extracted;
    this.death = death;
    this.linkToPublish = linkToPublish;
  }

  static DeliveryRequest of(
      RabbitTracing tracing,
      String queue,
      Envelope envelope,
      AMQP.BasicProperties properties,
      byte[] body,
      Peer peer,
      Context current,
      boolean localParent) {
    Map<String, Object> headers = properties == null ? null : properties.getHeaders();
    Context extracted = tracing.propagator.extract(current, headers, Headers.INSTANCE);
    Death death = Death.of(headers);
    return new DeliveryRequest(
        queue,
        envelope,
        properties,
        body == null ? 0 : body.length,
        peer,
        current,
        extracted,
        death,
        localParent || death != null);
  }

  /** A {@code basicGet} that failed: no message, so nothing extracted. */
  static DeliveryRequest failed(String queue, Peer peer, Context current) {
    return new DeliveryRequest(queue, null, null, 0, peer, current, current, null, false);
  }

  Map<String, Object> headers() {
    return properties == null ? null : properties.getHeaders();
  }

  /** The parent of the span: the publish, unless a dead letter should start a new trace. */
  Context parent(RabbitTracing tracing) {
    if (death != null && !tracing.deadLettersContinueTrace) {
      return withMessageBaggage(base);
    }
    return extracted;
  }

  /** The context to process the message in: {@code spanContext} plus the message's baggage. */
  Context processing(Context spanContext) {
    return withMessageBaggage(spanContext);
  }

  private Context withMessageBaggage(Context context) {
    Baggage message = Baggage.fromContext(extracted);
    Baggage local = Baggage.fromContext(context);
    if (message.isEmpty() || message == local) return context;
    if (local.isEmpty()) return context.with(message);
    BaggageBuilder merged = local.toBuilder();
    message.forEach((key, entry) -> merged.put(key, entry.getValue(), entry.getMetadata()));
    return context.with(merged.build());
  }

  /** Hop diagnostics of this message, or {@code null} when extract recorded none for it. */
  HopDiagnostics diagnostics() {
    if (envelope == null) return null;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    if (diagnostics == null) return null;
    // a propagator that records none leaves the diagnostics of an outer request in the context
    if (diagnostics == HopDiagnostics.fromContext(base) && !diagnostics.received().isEmpty()) {
      return null;
    }
    return diagnostics;
  }

  static void addLinks(SpanLinksBuilder links, Context parentContext, DeliveryRequest request) {
    SpanContext origin = OriginHeader.read(request.headers());
    if (origin.isValid()) links.addLink(origin, OriginHeader.LINK_ATTRIBUTES);
    if (!request.linkToPublish) return;
    SpanContext publish = Span.fromContext(request.extracted).getSpanContext();
    if (!publish.isValid() || !publish.isRemote()) return;
    Death death = request.death;
    if (death == null) {
      links.addLink(publish);
      return;
    }
    AttributesBuilder attributes = Attributes.builder();
    if (death.reason != null) attributes.put(RabbitAttributes.DEATH_REASON, death.reason);
    if (death.queue != null) attributes.put(RabbitAttributes.DEATH_QUEUE, death.queue);
    if (death.count > 0) attributes.put(RabbitAttributes.DEATH_COUNT, death.count);
    links.addLink(publish, attributes.build());
  }
}
