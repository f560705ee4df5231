package dev.tracewire.instrumentation.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The caller writes an outbox row in its transaction on PostgreSQL; the callee is the relay that
 * reads the row and "publishes" it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  Connection service;
  Connection relay;
  String table;
  JdbcOutbox callerOutbox;
  JdbcOutbox relayOutbox;

  @BeforeAll
  void connect() throws Exception {
    service = Postgres.connect();
    relay = Postgres.connect();
    table = Postgres.createOutbox(service);
    callerOutbox = JdbcOutbox.create(OutboxTracing.create(capture.service(CALLER)), table);
    relayOutbox = JdbcOutbox.create(OutboxTracing.create(capture.service(CALLEE)), table);
    service.setAutoCommit(false);
  }

  @AfterAll
  void disconnect() throws Exception {
    if (service != null) {
      service.rollback();
      service.setAutoCommit(true);
      Postgres.drop(service, table);
      service.close();
    }
    if (relay != null) relay.close();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "messaging";
  }

  @Override
  protected void send() throws Exception {
    callerOutbox.add(service, "orders", "order 1".getBytes(StandardCharsets.UTF_8));
    service.commit();
  }

  @Override
  protected void receive() throws Exception {
    assertThat(relayOutbox.relay(relay, 10, (destination, payload) -> calleeHandled()))
        .as("rows relayed")
        .isEqualTo(1);
  }

  @Test
  void rolledBackRow_isNeverRelayed() throws Exception {
    callerOutbox.add(service, "orders", new byte[] {1});
    service.rollback();
    assertThat(relayOutbox.relay(relay, 10, (destination, payload) -> calleeHandled())).isZero();
  }

  @Test
  void failedPublish_keepsTheRowForTheNextRelay() throws Exception {
    send();
    assertThat(
            relayOutbox.relay(
                relay,
                10,
                (destination, payload) -> {
                  throw new IllegalStateException("broker down");
                }))
        .isZero();
    assertThat(Postgres.count(relay, table)).isEqualTo(1);
    receive();
    assertThat(Postgres.count(relay, table)).isZero();
  }

  @Test
  void unreachableDatabase_failsNamingPostgresAndItsStartCommand() {
    assertThatThrownBy(() -> Postgres.connect("jdbc:postgresql://127.0.0.1:1/test"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("PostgreSQL not reachable at jdbc:postgresql://127.0.0.1:1/test")
        .hasMessageContaining("pg_ctlcluster");
  }
}
