package dev.tracewire.instrumentation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.RpcClient;
import com.rabbitmq.client.RpcClientParams;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request/reply: the caller's {@link RpcClient} publishes with reply-to and a correlation id, the
 * callee replies from its consumer; the reply continues the requester's trace.
 */
class RequestReplyHopTest extends RabbitHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  static final AttributeKey<String> CONVERSATION_ID =
      MessagingIncubatingAttributes.MESSAGING_MESSAGE_CONVERSATION_ID;

  String queue;
  RpcClient client;

  @Override
  void setUp() throws Exception {
    queue = RabbitBroker.declareQueue(callee, "rpc", null);
    callee.basicConsume(
        queue,
        true,
        (consumerTag, delivery) -> {
          calleeHandled();
          AMQP.BasicProperties request = delivery.getProperties();
          AMQP.BasicProperties reply =
              new AMQP.BasicProperties.Builder().correlationId(request.getCorrelationId()).build();
          callee.basicPublish("", request.getReplyTo(), reply, body("paid"));
        },
        consumerTag -> {});
    // direct reply-to (amq.rabbitmq.reply-to), consumed on the caller's traced channel
    client =
        new RpcClient(
            new RpcClientParams().channel(caller).exchange("").routingKey(queue).timeout(10_000));
  }

  @Override
  protected void send() throws Exception {
    assertThat(new String(client.primitiveCall(body("pay 1")), "UTF-8")).isEqualTo("paid");
  }

  @Test
  void reply_continuesTheRequestersTrace() throws Exception {
    Span work = capture.service(CALLER).getTracer("test").spanBuilder("checkout").startSpan();
    try (Scope ignored = work.makeCurrent()) {
      send();
    } finally {
      work.end();
    }
    String traceId = work.getSpanContext().getTraceId();
    // checkout, request publish, request process, reply publish, reply process
    List<SpanData> spans = capture.awaitTrace(traceId, 5).spans();
    SpanData request = only(spans, CALLER, SpanKind.PRODUCER);
    SpanData handling = only(spans, CALLEE, SpanKind.CONSUMER);
    SpanData reply = only(spans, CALLEE, SpanKind.PRODUCER);
    SpanData replyHandling = only(spans, CALLER, SpanKind.CONSUMER);

    assertThat(reply.getParentSpanId()).isEqualTo(handling.getSpanId());
    assertThat(replyHandling.getParentSpanId()).isEqualTo(reply.getSpanId());
    assertThat(replyHandling.getParentSpanContext().isRemote()).isTrue();
    String correlationId = request.getAttributes().get(CONVERSATION_ID);
    assertThat(correlationId).isNotEmpty();
    for (SpanData span : List.of(handling, reply, replyHandling)) {
      assertThat(span.getAttributes().get(CONVERSATION_ID))
          .as("%s on %s", CONVERSATION_ID, span.getName())
          .isEqualTo(correlationId);
    }
    TraceAssert.assertThat(capture.trace(traceId))
        .isUnbroken()
        .hasHop(CALLER, CALLEE, "rabbitmq")
        .hasHop(CALLEE, CALLER, "rabbitmq");
  }

  static SpanData only(List<SpanData> spans, String service, SpanKind kind) {
    List<SpanData> matching =
        spans.stream()
            .filter(s -> s.getKind() == kind)
            .filter(
                s ->
                    service.equals(
                        s.getResource().getAttribute(AttributeKey.stringKey("service.name"))))
            .toList();
    assertThat(matching).as("%s spans of %s in %s", kind, service, spans).hasSize(1);
    return matching.get(0);
  }
}
