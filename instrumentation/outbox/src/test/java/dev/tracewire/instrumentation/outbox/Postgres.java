package dev.tracewire.instrumentation.outbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The machine's PostgreSQL at 127.0.0.1:5432, database {@code test}, trust auth. */
final class Postgres {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String START =
      "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";

  static Connection connect() {
    return connect(URL);
  }

  static Connection connect(String url) {
    SQLException last = null;
    for (String user : new String[] {"postgres", "root"}) {
      try {
        return DriverManager.getConnection(url + "?user=" + user + "&connectTimeout=3");
      } catch (SQLException e) {
        last = e;
      }
    }
    throw new AssertionError(
        "PostgreSQL not reachable at " + url + " — start it with: " + START + " (" + last + ")",
        last);
  }

  /** Creates an outbox table no other run sees and returns its name. */
  static String createOutbox(Connection connection) throws SQLException {
    String table = "tracewire_outbox_" + UUID.randomUUID().toString().replace("-", "");
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE "
              + table
              + " (id BIGSERIAL PRIMARY KEY, destination TEXT NOT NULL, payload BYTEA NOT NULL,"
              + " trace_context TEXT)");
    }
    return table;
  }

  static void drop(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  static int count(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private Postgres() {}
}
