package dev.tracewire.server.simulator;

import dev.tracewire.server.model.Span;
import java.util.List;

/**
 * One export as a service's SDK sends it: OTLP from OpenTelemetry services, Zipkin v2 from Brave
 * services and Envoy proxies (already decoded into model spans by the server's Zipkin decoder).
 */
public final class Batch {
  private final long arrivalEpochNanos;
  private final String service;
  private final boolean zipkin;
  private final List<Span> spans;
  private final List<zipkin2.Span> zipkinSpans;

  Batch(
      long arrivalEpochNanos,
      String service,
      boolean zipkin,
      List<Span> spans,
      List<zipkin2.Span> zipkinSpans) {
    this.arrivalEpochNanos = arrivalEpochNanos;
    this.service = service;
    this.zipkin = zipkin;
    this.spans = List.copyOf(spans);
    this.zipkinSpans = List.copyOf(zipkinSpans);
  }

  /** When the export reaches the collector, epoch nanoseconds. */
  public long arrivalEpochNanos() {
    return arrivalEpochNanos;
  }

  /** The reporting service (or proxy). */
  public String service() {
    return service;
  }

  /** True when the service reports Zipkin v2 rather than OTLP. */
  public boolean isZipkin() {
    return zipkin;
  }

  /** The spans as the server's span model holds them. */
  public List<Span> spans() {
    return spans;
  }

  List<zipkin2.Span> zipkinSpans() {
    return zipkinSpans;
  }
}
