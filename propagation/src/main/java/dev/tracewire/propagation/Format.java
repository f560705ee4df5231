package dev.tracewire.propagation;

import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * A trace-header format the kit reads and writes. {@link #id()} is the name used in hop-diagnostics
 * attributes and in {@code otel.tracewire.*} configuration, matching {@code otel.propagators} names
 * where OpenTelemetry has one.
 */
public enum Format {
  /** W3C Trace Context level 2: {@code traceparent} and {@code tracestate}. */
  TRACECONTEXT("tracecontext"),
  /** W3C Baggage: {@code baggage}. */
  BAGGAGE("baggage"),
  /** B3 single header: {@code b3}. */
  B3("b3"),
  /** B3 multiple headers: {@code X-B3-TraceId}, {@code X-B3-SpanId}, {@code X-B3-Sampled} … */
  B3_MULTI("b3multi"),
  /** Jaeger: {@code uber-trace-id} and {@code uberctx-*} baggage. */
  JAEGER("jaeger"),
  /** Sentry: {@code sentry-trace}; its {@code sentry-*} baggage members travel in W3C baggage. */
  SENTRY("sentry"),
  /** Envoy's {@code x-request-id}, forwarded unchanged so a mesh can correlate a request. */
  REQUEST_ID("xrequestid");

  private final String id;

  Format(String id) {
    this.id = id;
  }

  /** Returns the stable name of this format, e.g. {@code "b3multi"}. */
  public String id() {
    return id;
  }

  /** Returns the format whose {@link #id()} is {@code id}, or {@code null} when there is none. */
  public static Format fromId(String id) {
    for (Format f : values()) {
      if (f.id.equals(id)) return f;
    }
    return null;
  }

  /**
   * Returns a propagator that reads and writes only this format, e.g. {@code
   * Format.B3_MULTI.propagator()}. {@link #JAEGER} includes {@code uberctx-*} baggage; {@link
   * #SENTRY} includes the W3C {@code baggage} header that carries Sentry's {@code sentry-*}
   * members. These propagators compose with others, so unlike {@link TracewirePropagator} they
   * record no {@link HopDiagnostics} and no {@link HopAttributes#INJECTED}.
   */
  public TextMapPropagator propagator() {
    return SingleFormat.PROPAGATORS[ordinal()];
  }
}
