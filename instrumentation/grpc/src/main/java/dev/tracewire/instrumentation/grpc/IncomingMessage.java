package dev.tracewire.instrumentation.grpc;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.trace.SpanContext;

/** A message received: what its fields said, and the span it arrived on when it is to be linked. */
final class IncomingMessage {
  final HopDiagnostics diagnostics;
  final SpanContext link;

  IncomingMessage(HopDiagnostics diagnostics, SpanContext link) {
    this.diagnostics = diagnostics;
    this.link = link;
  }
}
