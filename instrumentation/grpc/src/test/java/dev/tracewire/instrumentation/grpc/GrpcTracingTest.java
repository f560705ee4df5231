package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.propagation.HopDiagnostics;
import dev.tracewire.propagation.TracewirePropagator;
import dev.tracewire.testing.TraceCapture;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What {@link GrpcTracing} records beyond the hop suite, on a real netty server on loopback. */
class GrpcTracingTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";
  static final String OTHER_TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";

  // without the span processor: every tracewire.propagation.* attribute seen is GrpcTracing's
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final SimpleRequest PING = SimpleRequest.newBuilder().setRequestMessage("ping").build();

  @Test
  void server_callerSentNothing_recordsEmptyReceived() throws Exception {
    try (GrpcPeers peers = GrpcPeers.start(null, callee(), new CalleeService())) {
      peers.blockingStub().unaryRpc(PING);
    }
    SpanData server = awaitSpan(SpanKind.SERVER);
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(server.getAttributes().get(HopAttributes.RECEIVED)).isEmpty();
    assertThat(server.getAttributes().get(HopAttributes.USED)).isNull();
    assertThat(server.getAttributes().get(HopAttributes.REMOTE_PARENT)).isNull();
  }

  @Test
  void server_conflictingFormats_recordsUsedAndConflict() throws Exception {
    Metadata headers = new Metadata();
    headers.put(ascii("traceparent"), "00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    headers.put(ascii("b3"), OTHER_TRACE_ID + "-" + SPAN_ID + "-1");
    try (GrpcPeers peers = GrpcPeers.start(null, callee(), new CalleeService())) {
      peers
          .blockingStub()
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .unaryRpc(PING);
    }
    SpanData server = awaitSpan(SpanKind.SERVER);
    assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(server.getParentSpanId()).isEqualTo(SPAN_ID);
    assertThat(server.getAttributes().get(HopAttributes.RECEIVED))
        .containsExactly("tracecontext", "b3");
    assertThat(server.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
    assertThat(server.getAttributes().get(HopAttributes.CONFLICT)).containsExactly("b3");
    assertThat(server.getAttributes().get(HopAttributes.REMOTE_PARENT)).isEqualTo(SPAN_ID);
  }

  @Test
  void requestId_fromTheInboundRequest_isRecordedOnClientAndServer() throws Exception {
    OpenTelemetry caller = capture.service("caller");
    // the caller is itself handling a request that arrived with Envoy's x-request-id
    Context inbound =
        caller
            .getPropagators()
            .getTextMapPropagator()
            .extract(
                Context.root(),
                Map.of("x-request-id", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
                MapTextGetter.INSTANCE);
    try (GrpcPeers peers =
            GrpcPeers.start(GrpcTracing.create(caller), callee(), new CalleeService());
        Scope ignored = inbound.makeCurrent()) {
      peers.blockingStub().unaryRpc(PING);
    }
    List<String> expected = List.of("f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    assertThat(awaitSpan(SpanKind.CLIENT).getAttributes().get(HopDiagnostics.REQUEST_ID_HEADER))
        .isEqualTo(expected);
    assertThat(awaitSpan(SpanKind.SERVER).getAttributes().get(HopDiagnostics.REQUEST_ID_HEADER))
        .isEqualTo(expected);
  }

  @Test
  void client_recordsInjectedFormats() throws Exception {
    OpenTelemetry caller =
        capture.service(
            "b3-caller",
            TracewirePropagator.newBuilder()
                .inject(
                    dev.tracewire.propagation.Format.TRACECONTEXT,
                    dev.tracewire.propagation.Format.B3)
                .build());
    try (GrpcPeers peers =
        GrpcPeers.start(GrpcTracing.create(caller), callee(), new CalleeService())) {
      peers.blockingStub().unaryRpc(PING);
    }
    assertThat(awaitSpan(SpanKind.CLIENT).getAttributes().get(HopAttributes.INJECTED))
        .containsExactly("tracecontext", "b3");
    assertThat(awaitSpan(SpanKind.SERVER).getAttributes().get(HopAttributes.RECEIVED))
        .containsExactly("tracecontext", "b3");
  }

  @Test
  void server_atTrustBoundary_startsNewTraceAndRecordsRemoteParent() throws Exception {
    GrpcTracing edge =
        GrpcTracing.create(
            capture.service("edge", TracewirePropagator.newBuilder().trustBoundary(true).build()));
    try (GrpcPeers peers =
        GrpcPeers.start(GrpcTracing.create(capture.service("caller")), edge, new CalleeService())) {
      peers.blockingStub().unaryRpc(PING);
    }
    SpanData client = awaitSpan(SpanKind.CLIENT);
    SpanData server = awaitSpan(SpanKind.SERVER);
    assertThat(server.getParentSpanContext().isValid()).isFalse();
    assertThat(server.getTraceId()).isNotEqualTo(client.getTraceId());
    assertThat(server.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
    assertThat(server.getAttributes().get(HopAttributes.REMOTE_PARENT))
        .isEqualTo(client.getSpanId());
  }

  @Test
  void messageEvents_off_callSpansHaveNoMessageEvents() throws Exception {
    GrpcTracing quiet =
        GrpcTracing.newBuilder(capture.service("caller")).messageEvents(false).build();
    try (GrpcPeers peers = GrpcPeers.start(quiet, callee(), new CalleeService())) {
      peers.blockingStub().unaryRpc(PING);
    }
    assertThat(awaitSpan(SpanKind.CLIENT).getEvents()).isEmpty();
    // the default keeps OpenTelemetry's per-message events
    assertThat(awaitSpan(SpanKind.SERVER).getEvents()).isNotEmpty();
  }

  @Test
  void server_spanIsCurrentInTheHandler() throws Exception {
    String[] handlerTrace = new String[1];
    SimpleServiceGrpc.SimpleServiceImplBase service =
        new SimpleServiceGrpc.SimpleServiceImplBase() {
          @Override
          public void unaryRpc(
              SimpleRequest request,
              io.grpc.stub.StreamObserver<io.grpc.testing.protobuf.SimpleResponse> responses) {
            handlerTrace[0] =
                io.opentelemetry.api.trace.Span.current().getSpanContext().getSpanId();
            responses.onNext(CalleeService.reply(request));
            responses.onCompleted();
          }
        };
    try (GrpcPeers peers =
        GrpcPeers.start(GrpcTracing.create(capture.service("caller")), callee(), service)) {
      peers.blockingStub().unaryRpc(PING);
    }
    assertThat(handlerTrace[0]).isEqualTo(awaitSpan(SpanKind.SERVER).getSpanId());
  }

  static GrpcTracing callee() {
    return GrpcTracing.create(capture.service("callee"));
  }

  static SpanData awaitSpan(SpanKind kind) {
    return capture.awaitSpan(s -> s.getKind() == kind, "a " + kind + " span").stream()
        .filter(s -> s.getKind() == kind)
        .findFirst()
        .orElseThrow();
  }

  static Metadata.Key<String> ascii(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  enum MapTextGetter implements TextMapGetter<Map<String, String>> {
    INSTANCE;

    @SuppressWarnings("deprecation") // still how Jaeger's uberctx-* headers are found
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier.get(key);
    }
  }
}
