package dev.tracewire.server.model;

import java.util.Objects;

/** A link from a span to another span context, e.g. a batch consumer to each producer. */
public record Link(
    TraceId traceId,
    long spanId,
    String traceState,
    Attributes attributes,
    int flags,
    int droppedAttributesCount) {
  public Link {
    Objects.requireNonNull(traceId, "traceId");
    traceState = traceState == null ? "" : traceState;
    attributes = attributes == null ? Attributes.empty() : attributes;
  }

  public static Link create(TraceId traceId, long spanId, Attributes attributes) {
    return new Link(traceId, spanId, "", attributes, 0, 0);
  }

  public String spanIdHex() {
    return SpanId.toHex(spanId);
  }
}
