package dev.tracewire.instrumentation.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Context survives a hop that is one message on a long-lived bidi stream: the stream is opened once
 * for the whole class and never closed between tests, so each test's hop is only the PRODUCER span
 * of the message and the CONSUMER span that handled it.
 */
class PerMessageHopTest extends HopSuite {
  static TraceCapture capture;
  static GrpcPeers peers;
  static Responses responses;
  static StreamObserver<SimpleRequest> stream;

  @BeforeAll
  static void openStream() {
    capture = TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();
    GrpcTracing caller = GrpcTracing.create(capture.service(CALLER));
    GrpcTracing callee = GrpcTracing.create(capture.service(CALLEE));
    MessageContext<SimpleRequest> received =
        callee.messageContext(
            SimpleServiceGrpc.getBidiStreamingRpcMethod(), TraceContextField.CARRIER);
    peers = GrpcPeers.start(caller, callee, new StreamingCallee(received));
    MessageContext<SimpleRequest> sent =
        caller.messageContext(
            SimpleServiceGrpc.getBidiStreamingRpcMethod(), TraceContextField.CARRIER);
    responses = new Responses();
    // no deadline: the stream outlives every test
    stream = sent.sending(SimpleServiceGrpc.newStub(peers.channel).bidiStreamingRpc(responses));
  }

  @BeforeEach
  void resetCapture() {
    capture.reset();
  }

  @AfterAll
  static void closeStream() throws Exception {
    try {
      stream.onCompleted();
      responses.await();
      peers.close();
    } finally {
      capture.close();
    }
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "grpc";
  }

  @Override
  protected void send() {
    stream.onNext(SimpleRequest.newBuilder().setRequestMessage("order").build());
  }

  @Test
  void message_entrySpanLinksTheStreamsServerSpan() throws Exception {
    Context before = Context.current();
    send();
    assertThat(Context.current()).isSameAs(before);
    SpanData process =
        capture
            .awaitSpan(s -> s.getKind() == SpanKind.CONSUMER, "the CONSUMER span of the message")
            .stream()
            .filter(s -> s.getKind() == SpanKind.CONSUMER)
            .findFirst()
            .orElseThrow();
    assertThat(process.getName()).isEqualTo("grpc.testing.SimpleService/BidiStreamingRpc process");
    assertThat(process.getLinks())
        .extracting(link -> link.getSpanContext())
        .containsExactly(StreamingCallee.streamSpan);
    assertThat(process.getTraceId()).isNotEqualTo(StreamingCallee.streamSpan.getTraceId());
  }

  /** Handles every message of the bidi stream in its own span, as {@link HopSuite} expects. */
  static final class StreamingCallee extends SimpleServiceGrpc.SimpleServiceImplBase {
    static volatile io.opentelemetry.api.trace.SpanContext streamSpan;
    private final MessageContext<SimpleRequest> received;

    StreamingCallee(MessageContext<SimpleRequest> received) {
      this.received = received;
    }

    @Override
    public StreamObserver<SimpleRequest> bidiStreamingRpc(StreamObserver<SimpleResponse> replies) {
      streamSpan = io.opentelemetry.api.trace.Span.current().getSpanContext();
      return received.receiving(
          new StreamObserver<>() {
            @Override
            public void onNext(SimpleRequest request) {
              HopSuite.calleeHandled();
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
