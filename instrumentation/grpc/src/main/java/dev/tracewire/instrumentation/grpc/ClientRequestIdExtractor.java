package dev.tracewire.instrumentation.grpc;

import dev.tracewire.propagation.HopDiagnostics;
import io.grpc.Metadata;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcRequest;
import java.util.Collections;

/**
 * Records the {@code x-request-id} a CLIENT call sent, under the same key the server side records
 * it, so that the two sides of a hop pair exactly even when the trace broke in between.
 */
enum ClientRequestIdExtractor implements AttributesExtractor<GrpcRequest, Object> {
  INSTANCE;

  static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, GrpcRequest request) {}

  // the metadata is written after the span starts (ClientCall.start), so it is read at the end
  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      GrpcRequest request,
      Object response,
      Throwable error) {
    Metadata metadata = request.getMetadata();
    String requestId = metadata == null ? null : metadata.get(REQUEST_ID);
    if (requestId != null) {
      attributes.put(HopDiagnostics.REQUEST_ID_HEADER, Collections.singletonList(requestId));
    }
  }
}
