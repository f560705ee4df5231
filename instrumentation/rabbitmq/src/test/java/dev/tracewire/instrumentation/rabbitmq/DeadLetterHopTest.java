package dev.tracewire.instrumentation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead-lettered redelivery: the caller publishes to a queue whose messages expire at once (TTL 0)
 * into a dead-letter queue; the callee consumes that one. The broker adds {@code x-death} and keeps
 * the original headers, so the callee's span continues the publish and links to it.
 */
class DeadLetterHopTest extends RabbitHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String work;
  String dead;

  @Override
  void setUp() throws Exception {
    dead = RabbitBroker.declareQueue(callee, "dead", null);
    work =
        RabbitBroker.declareQueue(
            callee,
            "work",
            Map.of(
                "x-message-ttl",
                0,
                "x-dead-letter-exchange",
                "",
                "x-dead-letter-routing-key",
                dead));
    callee.basicConsume(dead, true, (consumerTag, delivery) -> calleeHandled(), consumerTag -> {});
  }

  @Override
  protected void send() throws Exception {
    caller.basicPublish("", work, null, body("order 1"));
  }

  @Test
  void deadLetter_linksToOriginalPublishWithReason() throws Exception {
    send();
    List<SpanData> spans =
        capture.awaitSpan(s -> s.getKind() == SpanKind.CONSUMER, "the dead letter's CONSUMER span");
    SpanData publish =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    SpanData consume =
        spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();

    assertThat(consume.getParentSpanId()).isEqualTo(publish.getSpanId());
    assertThat(consume.getLinks()).hasSize(1);
    LinkData link = consume.getLinks().get(0);
    assertThat(link.getSpanContext().getSpanId()).isEqualTo(publish.getSpanId());
    assertThat(link.getAttributes().get(RabbitAttributes.DEATH_REASON)).isEqualTo("expired");
    assertThat(link.getAttributes().get(RabbitAttributes.DEATH_QUEUE)).isEqualTo(work);
    assertThat(link.getAttributes().get(RabbitAttributes.DEATH_COUNT)).isEqualTo(1L);
  }
}
