package dev.tracewire.instrumentation.outbox;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.context.Context;

/** One outbox row, written or relayed. */
final class OutboxRequest {
  final String destination;
  final String rowId;
  final Context base;
  final Context extracted;

  private OutboxRequest(String destination, String rowId, Context base, Context extracted) {
    this.destination = destination;
    this.rowId = rowId;
    this.base = base;
    this.extracted = extracted;
  }

  static OutboxRequest write(String destination) {
    return new OutboxRequest(destination, null, null, null);
  }

  static OutboxRequest relay(String destination, String rowId, Context base, Context extracted) {
    return new OutboxRequest(destination, rowId, base, extracted);
  }

  /** Hop diagnostics of the stored context, or {@code null} when extract recorded none. */
  HopDiagnostics diagnostics() {
    if (extracted == null || extracted == base) return null;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    // a propagator that records none leaves the diagnostics of an outer request in the context
    if (diagnostics == null || diagnostics == HopDiagnostics.fromContext(base)) return null;
    return diagnostics;
  }
}
