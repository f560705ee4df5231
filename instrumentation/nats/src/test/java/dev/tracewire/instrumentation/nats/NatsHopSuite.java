package dev.tracewire.instrumentation.nats;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared hop suite over the machine's NATS: the caller publishes with its tracing on one
 * connection, the callee handles the message on another. Subclasses set up one way of consuming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NatsHopSuite extends HopSuite {
  /** Entry-span diagnostics must be our own doing, not the SDK-side processor's. */
  static TraceCapture newCapture() {
    return TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();
  }

  Connection callerConnection;
  Connection calleeConnection;
  NatsTracing callerTracing;
  NatsTracing calleeTracing;
  String subject;

  @BeforeAll
  void connect() throws Exception {
    callerConnection = NatsServer.connect();
    calleeConnection = NatsServer.connect();
    callerTracing = NatsTracing.create(capture().service(CALLER));
    calleeTracing = NatsTracing.create(capture().service(CALLEE));
    subject = NatsServer.subject(getClass().getSimpleName());
    setUp();
  }

  /** Subscribes the callee. */
  abstract void setUp() throws Exception;

  void tearDown() {}

  @AfterAll
  void disconnect() throws Exception {
    tearDown();
    if (callerConnection != null) callerConnection.close();
    if (calleeConnection != null) calleeConnection.close();
  }

  @Override
  protected String transport() {
    return "nats";
  }
}
