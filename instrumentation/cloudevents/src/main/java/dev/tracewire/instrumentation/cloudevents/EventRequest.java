package dev.tracewire.instrumentation.cloudevents;

import dev.tracewire.propagation.HopDiagnostics;
import io.cloudevents.CloudEvent;
import io.opentelemetry.context.Context;

/** One event, created or processed. */
final class EventRequest {
  final CloudEvent event;

  /** The context current when the event arrived; {@code null} when created. */
  final Context base;

  /** {@link #base} with what the event carried; {@code null} when created. */
  final Context extracted;

  EventRequest(CloudEvent event, Context base, Context extracted) {
    this.event = event;
    this.base = base;
    this.extracted = extracted;
  }

  /** Hop diagnostics of this event, or {@code null} when extract recorded none for it. */
  HopDiagnostics diagnostics() {
    if (extracted == null || extracted == base) return null;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    // a propagator that records none leaves the diagnostics of an outer request in the context
    if (diagnostics == null || diagnostics == HopDiagnostics.fromContext(base)) return null;
    return diagnostics;
  }
}
