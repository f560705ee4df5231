package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.testing.TraceCapture;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-message context: many logical requests on one stream, and the edges of the API. */
class MessageContextTest {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final String METHOD = "grpc.testing.SimpleService/BidiStreamingRpc";

  @Test
  void stream_twoLogicalRequests_eachKeepsItsOwnTrace() throws Exception {
    OpenTelemetry orders = capture.service("orders");
    GrpcTracing ordersTracing = GrpcTracing.create(orders);
    GrpcTracing paymentsTracing = GrpcTracing.create(capture.service("payments"));
    StreamCallee callee = new StreamCallee(paymentsTracing);
    List<Span> logicalRequests = new ArrayList<>();
    try (GrpcPeers peers = GrpcPeers.start(ordersTracing, paymentsTracing, callee)) {
      Responses responses = new Responses();
      StreamObserver<SimpleRequest> stream =
          ordersTracing
              .messageContext(
                  SimpleServiceGrpc.getBidiStreamingRpcMethod(), TraceContextField.CARRIER)
              .sending(peers.asyncStub().bidiStreamingRpc(responses));
      for (String order : List.of("order-1", "order-2")) {
        Span request = orders.getTracer("test").spanBuilder(order).startSpan();
        try (Scope ignored = request.makeCurrent()) {
          stream.onNext(SimpleRequest.newBuilder().setRequestMessage(order).build());
        } finally {
          request.end();
        }
        logicalRequests.add(request);
      }
      stream.onCompleted();
      assertThat(responses.await()).hasSize(2);
    }

    List<SpanData> spans = capture.awaitSpan(s -> s.getKind() == SpanKind.SERVER, "stream span");
    SpanData streamServer = only(spans, SpanKind.SERVER);
    SpanData streamClient = only(spans, SpanKind.CLIENT);
    assertThat(streamServer.getParentSpanId()).isEqualTo(streamClient.getSpanId());
    for (Span request : logicalRequests) {
      String traceId = request.getSpanContext().getTraceId();
      assertThat(traceId).isNotEqualTo(streamServer.getTraceId());
      SpanData send = inTrace(spans, traceId, SpanKind.PRODUCER);
      SpanData process = inTrace(spans, traceId, SpanKind.CONSUMER);
      assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(send.getName()).isEqualTo(METHOD + " send");
      assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
      assertThat(process.getLinks())
          .extracting(LinkData::getSpanContext)
          .containsExactly(streamServer.getSpanContext());
      assertThat(process.getAttributes().get(MessageSpans.RPC_SYSTEM)).isEqualTo("grpc");
      assertThat(process.getAttributes().get(MessageSpans.RPC_SERVICE))
          .isEqualTo("grpc.testing.SimpleService");
      assertThat(process.getAttributes().get(MessageSpans.RPC_METHOD))
          .isEqualTo("BidiStreamingRpc");
    }
    // the handler ran in each logical request's own trace
    assertThat(callee.handledIn)
        .containsExactlyElementsOf(
            logicalRequests.stream()
                .map(s -> s.getSpanContext().getTraceId())
                .collect(Collectors.toList()));
  }

  @Test
  void message_withoutContext_isHandledInTheStreamsTrace() throws Exception {
    GrpcTracing paymentsTracing = GrpcTracing.create(capture.service("payments"));
    StreamCallee callee = new StreamCallee(paymentsTracing);
    try (GrpcPeers peers =
        GrpcPeers.start(GrpcTracing.create(capture.service("orders")), paymentsTracing, callee)) {
      Responses responses = new Responses();
      // the sender does not use MessageContext
      StreamObserver<SimpleRequest> stream = peers.asyncStub().bidiStreamingRpc(responses);
      stream.onNext(SimpleRequest.newBuilder().setRequestMessage("order-1").build());
      stream.onCompleted();
      responses.await();
    }
    List<SpanData> spans =
        capture.awaitSpan(s -> s.getKind() == SpanKind.SERVER, "the stream's SERVER span");
    SpanData streamServer = only(spans, SpanKind.SERVER);
    SpanData process = only(spans, SpanKind.CONSUMER);
    assertThat(process.getParentSpanId()).isEqualTo(streamServer.getSpanId());
    assertThat(process.getLinks()).isEmpty();
    assertThat(process.getAttributes().get(HopAttributes.RECEIVED)).isEmpty();
    assertThat(process.getAttributes().get(HopAttributes.USED)).isNull();
    assertThat(callee.handledIn).containsExactly(streamServer.getTraceId());
  }

  /** A message with a string-map field, as a protobuf {@code map<string, string>} reads. */
  record Envelope(String body, Map<String, String> headers) {}

  static final MessageCarrier<Envelope> ENVELOPE =
      MessageCarrier.stringMap(Envelope::headers, (e, headers) -> new Envelope(e.body(), headers));

  @Test
  void stringMapCarrier_injectThenProcess_continuesTheSendersTrace() {
    MessageContext<Envelope> sender =
        GrpcTracing.create(capture.service("orders"))
            .messageContext(SimpleServiceGrpc.getBidiStreamingRpcMethod(), ENVELOPE);
    MessageContext<Envelope> receiver =
        GrpcTracing.create(capture.service("payments"))
            .messageContext(SimpleServiceGrpc.getBidiStreamingRpcMethod(), ENVELOPE);

    Envelope sent = sender.inject(new Envelope("order-1", Map.of("stale", "value")));
    assertThat(sent.headers()).containsKey("traceparent").doesNotContainKey("stale");
    List<SpanContext> handledIn = new CopyOnWriteArrayList<>();
    receiver.process(sent, e -> handledIn.add(Span.current().getSpanContext()));

    List<SpanData> spans = capture.awaitSpans(2);
    SpanData send = only(spans, SpanKind.PRODUCER);
    SpanData process = only(spans, SpanKind.CONSUMER);
    assertThat(send.getParentSpanContext().isValid()).isFalse();
    assertThat(send.getAttributes().get(HopAttributes.INJECTED)).containsExactly("tracecontext");
    assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
    assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(process.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
    assertThat(process.getAttributes().get(HopAttributes.REMOTE_PARENT))
        .isEqualTo(send.getSpanId());
    // nothing was current when process ran, so there is no stream span to link
    assertThat(process.getLinks()).isEmpty();
    assertThat(handledIn).containsExactly(process.getSpanContext());
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void carrier_getterThrows_handlerStillRunsAndRecordsNothingReceived() {
    MessageContext<Envelope> receiver =
        GrpcTracing.create(capture.service("payments"))
            .messageContext(
                SimpleServiceGrpc.getBidiStreamingRpcMethod(),
                MessageCarrier.stringMap(
                    e -> {
                      throw new IllegalStateException("broken getter");
                    },
                    (e, headers) -> e));
    List<String> handled = new ArrayList<>();
    receiver.process(new Envelope("order-1", Map.of()), e -> handled.add(e.body()));
    assertThat(handled).containsExactly("order-1");
    SpanData process = only(capture.awaitSpans(1), SpanKind.CONSUMER);
    assertThat(process.getAttributes().get(HopAttributes.RECEIVED)).isEmpty();
  }

  @Test
  void carrier_setterThrows_messageIsSentWithoutContext() {
    MessageContext<Envelope> sender =
        GrpcTracing.create(capture.service("orders"))
            .messageContext(
                SimpleServiceGrpc.getBidiStreamingRpcMethod(),
                MessageCarrier.stringMap(
                    Envelope::headers,
                    (e, headers) -> {
                      throw new IllegalStateException("broken setter");
                    }));
    Envelope message = new Envelope("order-1", new HashMap<>());
    assertThat(sender.inject(message)).isSameAs(message);
    assertThat(only(capture.awaitSpans(1), SpanKind.PRODUCER).hasEnded()).isTrue();
  }

  @Test
  void process_handlerThrows_spanEndsWithErrorAndExceptionPropagates() {
    MessageContext<Envelope> receiver =
        GrpcTracing.create(capture.service("payments"))
            .messageContext(SimpleServiceGrpc.getBidiStreamingRpcMethod(), ENVELOPE);
    assertThatThrownBy(
            () ->
                receiver.process(
                    new Envelope("order-1", Map.of()),
                    e -> {
                      throw new IllegalArgumentException("bad order");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad order");
    SpanData process = only(capture.awaitSpans(1), SpanKind.CONSUMER);
    assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(Context.current()).isSameAs(Context.root());
  }

  static SpanData only(List<SpanData> spans, SpanKind kind) {
    List<SpanData> matching =
        spans.stream().filter(s -> s.getKind() == kind).collect(Collectors.toList());
    assertThat(matching).as("%s spans", kind).hasSize(1);
    return matching.get(0);
  }

  static SpanData inTrace(List<SpanData> spans, String traceId, SpanKind kind) {
    List<SpanData> matching =
        spans.stream()
            .filter(s -> s.getKind() == kind && s.getTraceId().equals(traceId))
            .collect(Collectors.toList());
    assertThat(matching).as("%s spans of trace %s", kind, traceId).hasSize(1);
    return matching.get(0);
  }

  /** The callee's bidi handler, receiving through MessageContext; records the trace of each. */
  static final class StreamCallee extends SimpleServiceGrpc.SimpleServiceImplBase {
    final List<String> handledIn = new CopyOnWriteArrayList<>();
    private final MessageContext<SimpleRequest> received;

    StreamCallee(GrpcTracing tracing) {
      this.received =
          tracing.messageContext(
              SimpleServiceGrpc.getBidiStreamingRpcMethod(), TraceContextField.CARRIER);
    }

    @Override
    public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> replies) {
      return received.receiving(
          new StreamObserver<>() {
            @Override
            public void onNext(SimpleRequest request) {
              handledIn.add(Span.current().getSpanContext().getTraceId());
              replies.onNext(CalleeService.reply(request));
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
              replies.onCompleted();
            }
          });
    }
  }
}
