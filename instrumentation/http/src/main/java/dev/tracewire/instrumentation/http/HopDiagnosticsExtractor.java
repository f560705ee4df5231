package dev.tracewire.instrumentation.http;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * Writes what the propagator saw on the inbound request ({@code tracewire.propagation.*}) on the
 * entry span. The parent context is the one extract just returned, so the diagnostics are this
 * request's.
 */
final class HopDiagnosticsExtractor<REQUEST, RESPONSE>
    implements AttributesExtractor<REQUEST, RESPONSE> {

  static <REQUEST, RESPONSE> HopDiagnosticsExtractor<REQUEST, RESPONSE> create() {
    return new HopDiagnosticsExtractor<>();
  }

  private HopDiagnosticsExtractor() {}

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, REQUEST request) {
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(parentContext);
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      REQUEST request,
      RESPONSE response,
      Throwable error) {}
}
