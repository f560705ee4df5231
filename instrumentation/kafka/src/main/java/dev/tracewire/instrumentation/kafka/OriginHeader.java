package dev.tracewire.instrumentation.kafka;

import dev.tracewire.propagation.Format;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The {@code tracewire-origin} header: the span context of a record's original send, in W3C {@code
 * traceparent} syntax whatever the configured propagator, kept when the record is re-sent to a
 * retry or dead-letter topic.
 */
final class OriginHeader {
  static final String NAME = "tracewire-origin";

  /** Marks a span link that points at the original send. */
  static final Attributes LINK_ATTRIBUTES =
      Attributes.of(AttributeKey.stringKey("tracewire.link"), "origin");

  private static final TextMapPropagator TRACECONTEXT = Format.TRACECONTEXT.propagator();
  private static final String TRACEPARENT = "traceparent";

  /** The origin carried by {@code headers}, or {@link SpanContext#getInvalid()}. */
  static SpanContext read(Headers headers) {
    if (headers == null) return SpanContext.getInvalid();
    Header header = headers.lastHeader(NAME);
    if (header == null || header.value() == null) return SpanContext.getInvalid();
    String value = new String(header.value(), StandardCharsets.UTF_8);
    Context context = TRACECONTEXT.extract(Context.root(), value, SingleValue.INSTANCE);
    return Span.fromContext(context).getSpanContext();
  }

  /** Writes {@code origin} unless invalid (read-only headers are left alone). */
  static void write(Headers headers, SpanContext origin) {
    if (headers == null || !origin.isValid()) return;
    String[] traceparent = new String[1];
    TRACECONTEXT.inject(
        Context.root().with(Span.wrap(origin)),
        traceparent,
        (carrier, key, value) -> {
          if (TRACEPARENT.equals(key)) carrier[0] = value;
        });
    if (traceparent[0] == null) return;
    KafkaHeaders.INSTANCE.set(headers, NAME, traceparent[0]);
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
