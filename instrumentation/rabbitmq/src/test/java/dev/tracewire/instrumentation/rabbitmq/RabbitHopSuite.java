package dev.tracewire.instrumentation.rabbitmq;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared hop suite over the real broker: the caller publishes on a traced channel, the callee
 * handles the message on another. Subclasses set up one way of consuming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RabbitHopSuite extends HopSuite {
  /**
   * A capture per test class (a closed capture's exporter drops spans), without the SDK-side hop
   * diagnostics processor: the diagnostics on entry spans must be our own doing.
   */
  static TraceCapture newCapture() {
    return TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();
  }

  RabbitBroker broker;
  RabbitTracing callerTracing;
  RabbitTracing calleeTracing;
  TracingChannel caller;
  TracingChannel callee;

  @BeforeAll
  void connect() throws Exception {
    broker = RabbitBroker.connect();
    callerTracing = RabbitTracing.create(capture().service(CALLER));
    calleeTracing = calleeTracing(RabbitTracing.newBuilder(capture().service(CALLEE)));
    caller = callerTracing.channel(broker.channel());
    callee = calleeTracing.channel(broker.channel());
    setUp();
  }

  /** The callee's tracing; subclasses may set options. */
  RabbitTracing calleeTracing(RabbitTracing.Builder builder) {
    return builder.build();
  }

  /** Declares the queues and starts the callee's consumer, if any. */
  abstract void setUp() throws Exception;

  @AfterAll
  void disconnect() throws Exception {
    if (broker != null) broker.close();
  }

  @Override
  protected String transport() {
    return "rabbitmq";
  }

  static byte[] body(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
