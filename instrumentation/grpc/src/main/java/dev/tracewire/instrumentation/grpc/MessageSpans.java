package dev.tracewire.instrumentation.grpc;

import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import java.util.Collections;

/** Names and attributes of the per-message spans of one stream method. */
final class MessageSpans implements AttributesExtractor<Object, Object> {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.grpc.message";

  // semconv rpc.* as OpenTelemetry's gRPC instrumentation writes them on the call spans; the
  // incubating semconv artifact is not worth a dependency for three keys
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");

  final String sendName;
  final String processName;
  private final String service;
  private final String method;

  MessageSpans(String fullMethodName) {
    int slash = fullMethodName.lastIndexOf('/');
    this.service = slash < 0 ? null : fullMethodName.substring(0, slash);
    this.method = fullMethodName.substring(slash + 1);
    this.sendName = fullMethodName + " send";
    this.processName = fullMethodName + " process";
  }

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, Object request) {
    attributes.put(RPC_SYSTEM, "grpc");
    if (service != null) attributes.put(RPC_SERVICE, service);
    attributes.put(RPC_METHOD, method);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      Object request,
      Object response,
      Throwable error) {}

  /** The request id the message carried out, read after inject wrote it. */
  static final AttributesExtractor<OutgoingMessage, Object> OUTGOING_REQUEST_ID =
      new AttributesExtractor<>() {
        @Override
        public void onStart(
            AttributesBuilder attributes, Context parentContext, OutgoingMessage request) {}

        @Override
        public void onEnd(
            AttributesBuilder attributes,
            Context context,
            OutgoingMessage request,
            Object response,
            Throwable error) {
          String requestId = request.fields.get("x-request-id");
          if (requestId != null) {
            attributes.put(HopDiagnostics.REQUEST_ID_HEADER, Collections.singletonList(requestId));
          }
        }
      };

  /** What the message carried, as extract saw it. */
  static final AttributesExtractor<IncomingMessage, Object> INCOMING_DIAGNOSTICS =
      new AttributesExtractor<>() {
        @Override
        public void onStart(
            AttributesBuilder attributes, Context parentContext, IncomingMessage request) {
          if (request.diagnostics != null) request.diagnostics.putAttributes(attributes);
        }

        @Override
        public void onEnd(
            AttributesBuilder attributes,
            Context context,
            IncomingMessage request,
            Object response,
            Throwable error) {}
      };
}
