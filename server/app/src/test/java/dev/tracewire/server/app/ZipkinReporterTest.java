package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.reporter.AsyncReporter;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/** Zipkin's own reporter sends JSON and proto3 to a started server; the spans read back. */
class ZipkinReporterTest {
  static InMemorySpanStore store;
  static TracewireServer server;

  @BeforeAll
  static void start() {
    store = InMemorySpanStore.create();
    server = TestServers.start(store);
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  static Span[] trace(String traceId) {
    long now = System.currentTimeMillis() * 1000;
    Span parent =
        Span.newBuilder()
            .traceId(traceId)
            .id("6b221d5bc9e6496c")
            .kind(Span.Kind.SERVER)
            .name("get /api")
            .timestamp(now)
            .duration(20_000L)
            .localEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("10.0.0.1").build())
            .putTag("http.path", "/api")
            .build();
    Span child =
        Span.newBuilder()
            .traceId(traceId)
            .parentId("6b221d5bc9e6496c")
            .id("5b4185666d50f68b")
            .kind(Span.Kind.CLIENT)
            .name("get /users")
            .timestamp(now + 1_000)
            .duration(15_000L)
            .localEndpoint(Endpoint.newBuilder().serviceName("frontend").build())
            .remoteEndpoint(
                Endpoint.newBuilder().serviceName("backend").ip("10.0.0.2").port(8080).build())
            .addAnnotation(now + 2_000, "wire.send")
            .putTag("error", "connection reset")
            .build();
    return new Span[] {parent, child};
  }

  @Test
  void jsonReporter_spansReadBackThroughJaegerApi() throws Exception {
    report(Encoding.JSON, "463ac35c9f6413ad48485a3953bb6124");
  }

  @Test
  void proto3Reporter_spansReadBackThroughJaegerApi() throws Exception {
    report(Encoding.PROTO3, "463ac35c9f6413ad48485a3953bb6125");
  }

  @Test
  void sixtyFourBitTraceId_isFoundByItsShortForm() throws Exception {
    report(Encoding.JSON, "48485a3953bb6126");
  }

  void report(Encoding encoding, String traceId) throws Exception {
    Span[] sent = trace(traceId);
    try (URLConnectionSender sender =
            URLConnectionSender.newBuilder()
                .endpoint("http://127.0.0.1:" + server.zipkinPort() + "/api/v2/spans")
                .encoding(encoding)
                .build();
        AsyncReporter<Span> reporter =
            AsyncReporter.builder((zipkin2.reporter.BytesMessageSender) sender)
                .build(
                    encoding == Encoding.JSON
                        ? SpanBytesEncoder.JSON_V2
                        : SpanBytesEncoder.PROTO3)) {
      for (Span s : sent) reporter.report(s);
      reporter.flush();
    }

    JsonNode trace = Http.getJson(server.queryPort(), "/api/traces/" + traceId).get("data").get(0);
    assertThat(trace.get("spans")).hasSize(2);
    for (Span expected : sent) {
      JsonNode span = OtelSdkExportTest.find(trace.get("spans"), "spanID", expected.id());
      assertThat(span.get("traceID").asText()).endsWith(expected.traceId());
      assertThat(span.get("operationName").asText()).isEqualTo(expected.name());
      assertThat(span.get("startTime").asLong()).isEqualTo(expected.timestampAsLong());
      assertThat(span.get("duration").asLong()).isEqualTo(expected.durationAsLong());
      Map<String, JsonNode> tags = new HashMap<>();
      span.get("tags").forEach(t -> tags.put(t.get("key").asText(), t.get("value")));
      assertThat(tags.get("span.kind").asText())
          .isEqualTo(expected.kind().name().toLowerCase(java.util.Locale.ROOT));
      if (expected.parentId() != null) {
        assertThat(span.get("references").get(0).get("spanID").asText())
            .isEqualTo(expected.parentId());
        assertThat(tags.get("peer.service").asText()).isEqualTo("backend");
        assertThat(tags.get("network.peer.port").asLong()).isEqualTo(8080);
        assertThat(tags.get("error").asBoolean()).isTrue();
        assertThat(tags.get("otel.status_description").asText()).isEqualTo("connection reset");
        assertThat(span.get("logs").get(0).get("fields").get(0).get("value").asText())
            .isEqualTo("wire.send");
      } else {
        assertThat(tags.get("http.path").asText()).isEqualTo("/api");
      }
      String process = span.get("processID").asText();
      assertThat(trace.get("processes").get(process).get("serviceName").asText())
          .isEqualTo("frontend");
    }
    JsonNode deps = Http.getJson(server.queryPort(), "/api/services");
    assertThat(deps.get("data").toString()).isEqualTo("[\"frontend\"]");
  }
}
