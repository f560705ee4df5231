package dev.tracewire.instrumentation.grpc;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * Writes what the universal propagator saw on the inbound call onto the SERVER span: the {@code
 * tracewire.propagation.*} attributes and the request id.
 */
enum HopDiagnosticsExtractor implements AttributesExtractor<Object, Object> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, Object request) {
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(parentContext);
    if (diagnostics == null || !describesThisHop(diagnostics, parentContext)) return;
    diagnostics.putAttributes(attributes);
  }

  /**
   * Diagnostics linger in the Context for the whole request: they describe this call only when its
   * parent is the remote one that extract produced, or when there is no parent at all.
   */
  static boolean describesThisHop(HopDiagnostics diagnostics, Context parentContext) {
    SpanContext parent = Span.fromContext(parentContext).getSpanContext();
    if (!parent.isValid()) return true;
    return parent.isRemote() && parent.getSpanId().equals(diagnostics.remoteParent().getSpanId());
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      Object request,
      Object response,
      Throwable error) {}
}
