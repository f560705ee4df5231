package dev.tracewire.instrumentation.http;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * Records {@code x-request-id} on the CLIENT span as sent. The propagator writes it after the span
 * started, so the header extractor's start-time capture cannot see it; the client ends the span
 * with the request as sent, and this reads it there.
 */
enum InjectedRequestIdExtractor implements AttributesExtractor<HttpRequest, Object> {
  INSTANCE;

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, HttpRequest request) {}

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      HttpRequest request,
      Object response,
      Throwable error) {
    List<String> requestId = request.headers().allValues(HttpTracing.REQUEST_ID);
    if (!requestId.isEmpty()) attributes.put(HopDiagnostics.REQUEST_ID_HEADER, requestId);
  }
}
