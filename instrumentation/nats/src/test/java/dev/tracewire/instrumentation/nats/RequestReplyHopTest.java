package dev.tracewire.instrumentation.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Request/reply: the responder replies with its tracing; the whole exchange is one trace. */
class RequestReplyHopTest extends NatsHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  volatile Message lastReply;

  @Override
  void setUp() throws Exception {
    calleeConnection
        .createDispatcher(
            NatsServer.leakChecked(
                calleeTracing.handler(
                    request -> {
                      calleeHandled();
                      calleeTracing.publish(
                          calleeConnection,
                          NatsMessage.builder()
                              .subject(request.getReplyTo())
                              .data(NatsServer.body("ok"))
                              .build());
                    })))
        .subscribe(subject);
    calleeConnection.flush(Duration.ofSeconds(2));
  }

  @Override
  protected void send() throws Exception {
    lastReply =
        callerTracing.request(
            callerConnection, NatsServer.message(subject, "price?"), Duration.ofSeconds(5));
    assertThat(lastReply).as("the reply").isNotNull();
  }

  @Test
  void reply_continuesTheRequestersTrace() throws Exception {
    send();
    // the request ran synchronously, so its span is the caller's only PRODUCER span
    SpanData request = only(capture.spans(), CALLER, SpanKind.PRODUCER);
    // a reply span of an earlier test may still arrive: look at this trace only
    capture.awaitTrace(request.getTraceId(), 4);
    List<SpanData> spans =
        capture.spans().stream().filter(s -> s.getTraceId().equals(request.getTraceId())).toList();
    SpanData reply = only(spans, CALLEE, SpanKind.PRODUCER);
    SpanData receive = only(spans, CALLER, SpanKind.CONSUMER);
    assertThat(receive.getParentSpanId()).isEqualTo(reply.getSpanId());
    TraceAssert.assertThat(capture.trace(request.getTraceId()))
        .isUnbroken()
        .hasHop(CALLER, CALLEE, "nats")
        .hasHop(CALLEE, CALLER, "nats");
    assertThat(new String(lastReply.getData(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("ok");
  }

  static SpanData only(List<SpanData> spans, String service, SpanKind kind) {
    List<SpanData> matching =
        spans.stream()
            .filter(
                s ->
                    s.getKind() == kind
                        && service.equals(
                            s.getResource()
                                .getAttribute(
                                    io.opentelemetry.api.common.AttributeKey.stringKey(
                                        "service.name"))))
            .toList();
    assertThat(matching).as("%s %s spans", service, kind).hasSize(1);
    return matching.get(0);
  }
}
