package dev.tracewire.instrumentation.rabbitmq;

import dev.tracewire.propagation.Format;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Collections;
import java.util.Map;

/**
 * The {@code tracewire-origin} header (as the Kafka module writes it): the span context of a
 * message's original publish, in W3C {@code traceparent} syntax whatever the configured propagator,
 * kept when the application publishes the message again (a retry or a dead-letter queue of its
 * own).
 */
final class OriginHeader {
  static final String NAME = "tracewire-origin";

  /** Marks a span link that points at the original publish. */
  static final Attributes LINK_ATTRIBUTES =
      Attributes.of(AttributeKey.stringKey("tracewire.link"), "origin");

  private static final TextMapPropagator TRACECONTEXT = Format.TRACECONTEXT.propagator();
  private static final String TRACEPARENT = "traceparent";

  /** The origin carried by {@code headers}, or {@link SpanContext#getInvalid()}. */
  static SpanContext read(Map<String, Object> headers) {
    if (headers == null) return SpanContext.getInvalid();
    String value = Headers.text(headers.get(NAME));
    if (value == null) return SpanContext.getInvalid();
    Context context = TRACECONTEXT.extract(Context.root(), value, SingleValue.INSTANCE);
    return Span.fromContext(context).getSpanContext();
  }

  /** Writes {@code origin} into {@code headers} unless it is invalid. */
  static void write(Map<String, Object> headers, SpanContext origin) {
    if (!origin.isValid()) return;
    TRACECONTEXT.inject(
        Context.root().with(Span.wrap(origin)),
        headers,
        (carrier, key, value) -> {
          if (TRACEPARENT.equals(key)) carrier.put(NAME, value);
        });
  }

  /** The single header value as a carrier whose only field is {@code traceparent}. */
  private enum SingleValue implements TextMapGetter<String> {
    INSTANCE;

    @Override
    public Iterable<String> keys(String carrier) {
      return Collections.singletonList(TRACEPARENT);
    }

    @Override
    public String get(String carrier, String key) {
      return TRACEPARENT.equals(key) ? carrier : null;
    }
  }

  private OriginHeader() {}
}
