package dev.tracewire.server.ui.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builds OTLP/JSON export requests and posts them to a server's OTLP/HTTP port. */
final class Otlp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final ArrayNode resourceSpans = JSON.createArrayNode();
  int spans;

  static String traceId() {
    return hex(16);
  }

  static String spanId() {
    return hex(8);
  }

  static String hex(int bytes) {
    StringBuilder b = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      b.append(String.format("%02x", ThreadLocalRandom.current().nextInt(1, 256)));
    }
    return b.toString();
  }

  /** Adds one span; attribute values are strings, longs or lists of strings. */
  Otlp span(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      long startNanos,
      long endNanos,
      Map<String, Object> attributes,
      boolean error,
      List<String[]> links) {
    ObjectNode rs = resourceSpans.addObject();
    ObjectNode resource = rs.putObject("resource");
    attributes(resource.putArray("attributes"), Map.of("service.name", service));
    ObjectNode scopeSpans = rs.putArray("scopeSpans").addObject();
    scopeSpans.putObject("scope").put("name", "dev.tracewire.ui.test");
    ObjectNode s = scopeSpans.putArray("spans").addObject();
    s.put("traceId", traceId).put("spanId", spanId).put("name", name).put("kind", kind);
    if (parentSpanId != null) s.put("parentSpanId", parentSpanId);
    s.put("startTimeUnixNano", Long.toString(startNanos));
    s.put("endTimeUnixNano", Long.toString(endNanos));
    attributes(s.putArray("attributes"), attributes);
    if (error) s.putObject("status").put("code", 2).put("message", "boom");
    if (links != null) {
      ArrayNode l = s.putArray("links");
      for (String[] link : links) l.addObject().put("traceId", link[0]).put("spanId", link[1]);
    }
    spans++;
    return this;
  }

  private static void attributes(ArrayNode out, Map<String, Object> attributes) {
    for (Map.Entry<String, Object> a : attributes.entrySet()) {
      ObjectNode kv = out.addObject().put("key", a.getKey());
      ObjectNode v = kv.putObject("value");
      Object value = a.getValue();
      if (value instanceof Long n) {
        v.put("intValue", Long.toString(n));
      } else if (value instanceof List<?> list) {
        ArrayNode values = v.putObject("arrayValue").putArray("values");
        for (Object o : list) values.addObject().put("stringValue", String.valueOf(o));
      } else {
        v.put("stringValue", String.valueOf(value));
      }
    }
  }

  /** Posts everything added so far and starts a new request. */
  void send(int otlpHttpPort) throws IOException, InterruptedException {
    send(otlpHttpPort, null);
  }

  /** Sends the spans added so far with {@code Authorization: Bearer token} unless null. */
  void send(int otlpHttpPort, String token) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.set("resourceSpans", resourceSpans.deepCopy());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpHttpPort + "/v1/traces"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (token != null) request.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("OTLP export: " + r.statusCode() + " " + r.body());
    }
    resourceSpans.removeAll();
    spans = 0;
  }
}
