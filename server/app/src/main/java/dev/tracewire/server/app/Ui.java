package dev.tracewire.server.app;

/** The page served at {@code /} of the query port until the UI lands: where the APIs are. */
final class Ui {
  static final String INDEX =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Tracewire</title></head><body>"
          + "<h1>Tracewire</h1><p>Query API: <a href=\"/api/v1/services\">/api/v1/services</a>,"
          + " <code>/api/v1/traces?service=…</code>, <code>/api/v1/traces/{traceId}</code>."
          + " Jaeger API for Grafana: <a href=\"/api/services\">/api/services</a>."
          + " <a href=\"/metrics\">/metrics</a>, <a href=\"/health\">/health</a>.</p></body></html>";

  private Ui() {}
}
