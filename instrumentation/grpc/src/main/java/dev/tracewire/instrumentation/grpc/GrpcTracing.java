package dev.tracewire.instrumentation.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.grpc.v1_6.GrpcTelemetry;
import java.util.Objects;

/**
 * Traces gRPC calls so that context survives the hop: client and server interceptors for unary,
 * server-streaming, client-streaming and bidi calls (on OpenTelemetry's {@code grpc-1.6} library
 * instrumentation), with Tracewire's hop diagnostics on server spans, and an opt-in per-message
 * context for long-lived streams.
 *
 * <pre>{@code
 * GrpcTracing grpcTracing = GrpcTracing.create(openTelemetry);
 * Server server = ServerBuilder.forPort(8080)
 *     .addService(ServerInterceptors.intercept(new OrdersService(), grpcTracing.newServerInterceptor()))
 *     .build();
 * ManagedChannel channel = ManagedChannelBuilder.forTarget("payments:8080")
 *     .intercept(grpcTracing.newClientInterceptor())
 *     .build();
 * }</pre>
 *
 * <p>The propagator is the one of {@code openTelemetry}: configure {@code TracewirePropagator}
 * there to read and write every trace-header format and record the {@code tracewire.propagation.*}
 * attributes.
 */
public final class GrpcTracing {

  /** Returns gRPC tracing with default options. */
  public static GrpcTracing create(OpenTelemetry openTelemetry) {
    return newBuilder(openTelemetry).build();
  }

  /** Returns a builder of gRPC tracing, for options. */
  public static Builder newBuilder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  private final OpenTelemetry openTelemetry;
  private final GrpcTelemetry telemetry;

  private GrpcTracing(Builder builder) {
    this.openTelemetry = builder.openTelemetry;
    this.telemetry =
        GrpcTelemetry.builder(builder.openTelemetry)
            .setEmitMessageEvents(builder.messageEvents)
            .addServerAttributeExtractor(HopDiagnosticsExtractor.INSTANCE)
            .addClientAttributeExtractor(ClientRequestIdExtractor.INSTANCE)
            .build();
  }

  /**
   * Returns an interceptor for {@code ManagedChannelBuilder.intercept}: each call gets a CLIENT
   * span that is current while the trace headers are written into its metadata.
   */
  public ClientInterceptor newClientInterceptor() {
    return telemetry.createClientInterceptor();
  }

  /**
   * Returns an interceptor for {@code ServerInterceptors.intercept} or {@code
   * ServerBuilder.intercept}: each call gets a SERVER span continuing the caller's trace, carrying
   * what arrived as {@code tracewire.propagation.*} attributes. The span is current in the
   * service's handlers and request observers.
   */
  public ServerInterceptor newServerInterceptor() {
    return telemetry.createServerInterceptor();
  }

  /**
   * Returns a per-message context for messages of one stream method: each message carries the
   * context of the logical request that sent it, in a field of the message, so that a long-lived
   * stream carrying many logical requests does not fold them all into the stream's one span.
   *
   * <pre>{@code
   * MessageContext<OrderRequest> orders = grpcTracing.messageContext(
   *     OrdersGrpc.getStreamOrdersMethod(),
   *     MessageCarrier.stringMap(
   *         OrderRequest::getTraceContextMap,
   *         (request, fields) ->
   *             request.toBuilder().clearTraceContext().putAllTraceContext(fields).build()));
   * }</pre>
   *
   * @param method the stream method, naming the per-message spans
   * @param carrier where in the message the context travels
   */
  public <M> MessageContext<M> messageContext(
      MethodDescriptor<?, ?> method, MessageCarrier<M> carrier) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(carrier, "carrier");
    return new MessageContext<>(openTelemetry, method.getFullMethodName(), carrier);
  }

  @Override
  public String toString() {
    return "GrpcTracing{" + openTelemetry.getPropagators().getTextMapPropagator() + "}";
  }

  /** Options of {@link GrpcTracing}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean messageEvents = true;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /**
     * Whether call spans get an event per message sent and received (default {@code true}); turn
     * off for streams carrying many messages.
     */
    public Builder messageEvents(boolean messageEvents) {
      this.messageEvents = messageEvents;
      return this;
    }

    /** Returns gRPC tracing with these options. */
    public GrpcTracing build() {
      return new GrpcTracing(this);
    }
  }
}
