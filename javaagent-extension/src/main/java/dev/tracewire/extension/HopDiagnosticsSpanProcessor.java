package dev.tracewire.extension;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Writes what the universal propagator saw on an inbound request onto the entry span it caused: the
 * {@code tracewire.propagation.*} attributes, and a link to the external parent when a trust
 * boundary refused it.
 *
 * <pre>{@code
 * SdkTracerProvider.builder()
 *     .addSpanProcessor(HopDiagnosticsSpanProcessor.create())
 *     .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
 *     .build();
 * }</pre>
 */
public final class HopDiagnosticsSpanProcessor implements SpanProcessor {

  /** Returns the processor; it keeps no state, so one instance serves any number of providers. */
  public static HopDiagnosticsSpanProcessor create() {
    return new HopDiagnosticsSpanProcessor();
  }

  private HopDiagnosticsSpanProcessor() {}

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    SpanKind kind = span.getKind();
    if (kind != SpanKind.SERVER && kind != SpanKind.CONSUMER) return;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(parentContext);
    if (diagnostics == null) return;
    SpanContext parent = Span.fromContext(parentContext).getSpanContext();
    if (parent.isValid()) {
      // A local parent means this is not where the request entered the process.
      if (!parent.isRemote()) return;
      // Diagnostics linger in the Context for the whole request; a remote parent that another
      // propagator extracted later is not the hop they describe.
      if (!parent.getSpanId().equals(diagnostics.remoteParent().getSpanId())) return;
    }
    span.setAllAttributes(diagnostics.toAttributes());
    if (diagnostics.trustBoundaryApplied() && diagnostics.remoteParent().isValid()) {
      span.addLink(diagnostics.remoteParent());
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }

  @Override
  public String toString() {
    return "HopDiagnosticsSpanProcessor";
  }
}
