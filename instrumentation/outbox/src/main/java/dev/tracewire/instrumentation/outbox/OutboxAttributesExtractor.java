package dev.tracewire.instrumentation.outbox;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/** The hop diagnostics of the stored context, on the relay's span. */
enum OutboxAttributesExtractor implements AttributesExtractor<OutboxRequest, String> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, OutboxRequest request) {
    HopDiagnostics diagnostics = request.diagnostics();
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      OutboxRequest request,
      String rowId,
      Throwable error) {}
}
