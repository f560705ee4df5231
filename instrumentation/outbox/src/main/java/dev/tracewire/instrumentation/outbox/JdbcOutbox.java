package dev.tracewire.instrumentation.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A transactional outbox in a JDBC table, traced by {@link OutboxTracing}. The table needs the
 * columns {@code id} (generated, ordered), {@code destination}, {@code payload} (binary) and {@code
 * trace_context} (text); on PostgreSQL:
 *
 * <pre>{@code
 * CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, destination TEXT NOT NULL,
 *                      payload BYTEA NOT NULL, trace_context TEXT);
 *
 * JdbcOutbox outbox = JdbcOutbox.create(outboxTracing, "outbox");
 * // service, in its own transaction
 * outbox.add(connection, "orders", payload);
 * connection.commit();
 * // relay
 * outbox.relay(relayConnection, 100, (destination, payload) -> natsTracing.publish(nats, ...));
 * }</pre>
 */
public final class JdbcOutbox {
  /** Publishes one relayed row to the broker. */
  @FunctionalInterface
  public interface Publisher {
    /** Publishes {@code payload} to {@code destination}; throwing keeps the row for a retry. */
    void publish(String destination, byte[] payload) throws Exception;
  }

  /**
   * Returns an outbox in {@code table} ({@code [A-Za-z_][A-Za-z0-9_.]*}, as it is put in SQL text).
   */
  public static JdbcOutbox create(OutboxTracing tracing, String table) {
    Objects.requireNonNull(tracing, "tracing");
    if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException(
          "table: " + table + " (expected: an SQL identifier, [A-Za-z_][A-Za-z0-9_.]*)");
    }
    return new JdbcOutbox(tracing, table);
  }

  private final OutboxTracing tracing;
  private final String insert;
  private final String select;
  private final String delete;

  private JdbcOutbox(OutboxTracing tracing, String table) {
    this.tracing = tracing;
    this.insert =
        "INSERT INTO " + table + " (destination, payload, trace_context) VALUES (?, ?, ?)";
    // SKIP LOCKED lets several relays share the table (PostgreSQL 9.5+, MySQL 8+)
    this.select =
        "SELECT id, destination, payload, trace_context FROM "
            + table
            + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    this.delete = "DELETE FROM " + table + " WHERE id = ?";
  }

  /**
   * Inserts a row on {@code connection}, in whatever transaction it is in, with the context of a
   * new PRODUCER span; returns the row id. The row (and so the message) exists only if that
   * transaction commits.
   */
  public long add(Connection connection, String destination, byte[] payload) throws SQLException {
    return tracing.write(
        destination,
        context -> {
          try (PreparedStatement statement =
              connection.prepareStatement(insert, Statement.RETURN_GENERATED_KEYS)) {
            statement.setString(1, destination);
            statement.setBytes(2, payload);
            statement.setString(3, context);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
              if (!keys.next()) throw new SQLException("no generated id from: " + insert);
              return keys.getLong(1);
            }
          }
        });
  }

  /**
   * Publishes up to {@code max} rows, oldest first, each in a CONSUMER span continuing the trace
   * that wrote it, and deletes the published ones, in one transaction on {@code connection}
   * (committed here). Returns how many were published. A row whose publish throws stays for the
   * next call (at-least-once delivery).
   */
  public int relay(Connection connection, int max, Publisher publisher) throws SQLException {
    if (max <= 0) throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      List<Long> published = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(select)) {
        statement.setInt(1, max);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            long id = rows.getLong(1);
            String destination = rows.getString(2);
            byte[] payload = rows.getBytes(3);
            try {
              tracing.relay(
                  rows.getString(4),
                  destination,
                  Long.toString(id),
                  () -> publisher.publish(destination, payload));
              published.add(id);
            } catch (Exception e) {
              // kept for the next relay; the span recorded the error
            }
          }
        }
      }
      try (PreparedStatement statement = connection.prepareStatement(delete)) {
        for (long id : published) {
          statement.setLong(1, id);
          statement.addBatch();
        }
        if (!published.isEmpty()) statement.executeBatch();
      }
      connection.commit();
      return published.size();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  @Override
  public String toString() {
    return "JdbcOutbox{" + insert + "}";
  }
}
