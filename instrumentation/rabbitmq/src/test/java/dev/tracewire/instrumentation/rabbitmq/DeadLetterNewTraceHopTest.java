package dev.tracewire.instrumentation.rabbitmq;

import dev.tracewire.testing.TraceCapture;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead-lettered redelivery with {@code deadLettersContinueTrace(false)}: the callee's span starts a
 * new trace and only links to the original publish, so the suite checks the link, and still the
 * diagnostics the message's headers gave.
 */
class DeadLetterNewTraceHopTest extends RabbitHopSuite {
  @RegisterExtension static final TraceCapture capture = newCapture();

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  String work;

  @Override
  RabbitTracing calleeTracing(RabbitTracing.Builder builder) {
    return builder.deadLettersContinueTrace(false).build();
  }

  @Override
  void setUp() throws Exception {
    String dead = RabbitBroker.declareQueue(callee, "dead", null);
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

  @Override
  protected boolean linked() {
    return true;
  }

  @Override
  protected boolean entryRecordsDiagnostics() {
    return true;
  }
}
