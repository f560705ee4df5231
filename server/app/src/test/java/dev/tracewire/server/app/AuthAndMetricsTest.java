package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.storage.InMemorySpanStore;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthAndMetricsTest {
  static final String TOKEN = "s3cret-token-0123456789";

  InMemorySpanStore store;
  TracewireServer server;

  @BeforeEach
  void start() {
    store = InMemorySpanStore.create();
    server = TracewireServer.start(TestServers.freePorts().token(TOKEN).build(), store);
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void token_guardsIngestAndQuery_notHealth() throws Exception {
    byte[] body =
        MalformedIngestTest.request(
                MalformedIngestTest.span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))
            .toByteArray();

    assertThat(
            Http.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body)
                .statusCode())
        .isEqualTo(401);
    assertThat(Http.get(server.queryPort(), "/api/services").statusCode()).isEqualTo(401);
    assertThat(Http.get(server.queryPort(), "/api/services", "wrong").statusCode()).isEqualTo(401);
    assertThat(Http.get(server.queryPort(), "/api/services", TOKEN).statusCode()).isEqualTo(200);
    assertThat(Http.get(server.queryPort(), "/health").statusCode()).isEqualTo(200);
    assertThat(store.services()).isEmpty();
  }

  @Test
  void token_leavesStaticUiOpen_notTheApi() throws Exception {
    HttpResponse<String> page = Http.get(server.queryPort(), "/");
    HttpResponse<String> script = Http.get(server.queryPort(), "/ui/app.js");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/ui/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("parseRoute");
    assertThat(Http.get(server.queryPort(), "/api/v1/services").statusCode()).isEqualTo(401);
    assertThat(Http.get(server.queryPort(), "/api/v1/services", TOKEN).statusCode()).isEqualTo(200);
    // a path that only starts like the UI never reaches the API without the token
    assertThat(Http.get(server.queryPort(), "/ui/../api/v1/services").statusCode())
        .isNotEqualTo(200);
    assertThat(Http.get(server.queryPort(), "/ui/%2e%2e/api/v1/services").statusCode())
        .isNotEqualTo(200);
    assertThat(Http.get(server.queryPort(), "/ui/%2E%2E/%2E%2E/api/v1/services").statusCode())
        .isNotEqualTo(200);
  }

  @Test
  void exporterWithToken_isAccepted_andMetricsCountIt() throws Exception {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    OtlpHttpSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces")
                        .addHeader("Authorization", "Bearer " + TOKEN)
                        .build()))
            .build();
    Span span = provider.get("test").spanBuilder("op").startSpan();
    span.end();
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    provider.shutdown().join(10, TimeUnit.SECONDS);
    Http.get(server.queryPort(), "/api/services"); // one 401

    HttpResponse<String> metrics = Http.get(server.queryPort(), "/metrics", TOKEN);

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("tracewire_spans_received_total{format=\"otlp_http_protobuf\"} 1\n")
        .contains("tracewire_spans_accepted_total 1\n")
        .contains("tracewire_requests_rejected_total{reason=\"unauthorized\"} 1\n")
        .contains("tracewire_queue_depth_spans 0\n")
        .contains("# TYPE tracewire_storage_bytes gauge")
        .contains("tracewire_retention_deleted_spans_total 0\n");
  }

  @Test
  void grpcExporter_needsTheToken() {
    try (io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter without =
            io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
                .build();
        io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter with =
            io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
                .addHeader("Authorization", "Bearer " + TOKEN)
                .build()) {
      java.util.List<io.opentelemetry.sdk.trace.data.SpanData> spans = OverloadTest.spans(1);

      assertThat(without.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
      assertThat(store.services()).isEmpty();
      assertThat(with.export(spans).join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(store.services()).containsExactly("unknown_service:java");
    }
  }

  @Test
  void mask_neverShowsTheWholeToken() {
    assertThat(TracewireServer.mask("Bearer " + TOKEN)).isEqualTo("s3…(23 chars)");
    assertThat(TracewireServer.mask("short")).isEqualTo("…(5 chars)");
  }
}
