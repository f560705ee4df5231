package dev.tracewire.server.app;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.SpanFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Decodes a request, counts it, and hands its valid spans to the pipeline. */
final class Ingest {
  /** What became of one request. */
  record Outcome(Kind kind, DecodeResult decoded, CompletableFuture<Void> durable) {
    enum Kind {
      MALFORMED,
      QUEUE_FULL,
      QUEUED
    }
  }

  private final Pipeline pipeline;
  private final ServerMetrics metrics;

  Ingest(Pipeline pipeline, ServerMetrics metrics) {
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  Outcome submit(String transport, SpanFormat format, byte[] body) {
    return submit(transport, format.decode(body));
  }

  Outcome submit(String transport, DecodeResult decoded) {
    // the body is decoded and no longer needed: its in-flight share goes back (queued spans count
    // against the queue), whichever port and executor the request came through
    InFlightBodies.decoded(ServiceRequestContext.currentOrNull());
    if (decoded.isMalformed()) {
      metrics.rejectedRequest("malformed");
      return new Outcome(Outcome.Kind.MALFORMED, decoded, null);
    }
    metrics.received(transport, decoded.spans().size() + decoded.rejectedCount());
    for (Map.Entry<String, Integer> e : decoded.rejectedByReason().entrySet()) {
      metrics.rejectedSpans(e.getKey(), e.getValue());
    }
    CompletableFuture<Void> durable = pipeline.offer(decoded.spans());
    if (durable == null) {
      metrics.rejectedRequest("queue_full");
      return new Outcome(Outcome.Kind.QUEUE_FULL, decoded, null);
    }
    return new Outcome(Outcome.Kind.QUEUED, decoded, durable);
  }

  ServerMetrics metrics() {
    return metrics;
  }
}
