package dev.tracewire.server.app;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.duckdb.DuckDbSpanStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services on the real OpenTelemetry SDK export OTLP to a running server (DuckDB storage): an
 * intact HTTP hop, the same hop with its context stripped on the way (diagnostics on both sides),
 * and a Kafka batch consumer joined to its producer by a link. After a flush every read path shows
 * the finding and the edges.
 */
class IntegrityEndToEndTest {
  static final AttributeKey<List<String>> INJECTED =
      stringArrayKey("tracewire.propagation.injected");
  static final AttributeKey<List<String>> RECEIVED =
      stringArrayKey("tracewire.propagation.received");
  static final AttributeKey<String> USED = stringKey("tracewire.propagation.used");
  static final AttributeKey<String> REMOTE_PARENT =
      stringKey("tracewire.propagation.remote_parent");
  static final AttributeKey<List<String>> REQUEST_ID =
      stringArrayKey("http.request.header.x-request-id");

  @TempDir Path dataDir;
  SpanStore store;
  TracewireServer server;
  final List<SdkTracerProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() {
    store = DuckDbSpanStore.open(dataDir);
    // settle windows far beyond the test: only the flush closes traces
    server =
        TracewireServer.start(
            TestServers.freePorts()
                .settle(java.time.Duration.ofMinutes(10))
                .messagingSettle(java.time.Duration.ofMinutes(10))
                .build(),
            store);
  }

  @AfterEach
  void stop() {
    providers.forEach(SdkTracerProvider::close);
    server.close();
    store.close();
  }

  Tracer service(String name) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.of(stringKey("service.name"), name)))
            .addSpanProcessor(
                SimpleSpanProcessor.create(
                    OtlpHttpSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces")
                        .build()))
            .build();
    providers.add(provider);
    return provider.get("dev.tracewire.test");
  }

  void exportAll() {
    for (SdkTracerProvider p : providers) {
      assertThat(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
  }

  /** orders calls payments; when {@code stripped} payments received only the x-request-id. */
  static String[] httpHop(Tracer orders, Tracer payments, boolean stripped) {
    String requestId = UUID.randomUUID().toString();
    Span root = orders.spanBuilder("POST /checkout").setSpanKind(SpanKind.SERVER).startSpan();
    Span client =
        orders
            .spanBuilder("POST")
            .setParent(Context.root().with(root))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(stringKey("http.request.method"), "POST")
            .setAttribute(stringKey("url.full"), "http://payments:8080/charge")
            .setAttribute(stringKey("server.address"), "payments")
            .setAttribute(longKey("http.response.status_code"), 200L)
            .setAttribute(INJECTED, List.of("tracecontext", "xrequestid"))
            .setAttribute(REQUEST_ID, List.of(requestId))
            .startSpan();
    var callee =
        payments
            .spanBuilder("POST /charge")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(stringKey("http.request.method"), "POST")
            .setAttribute(stringKey("url.path"), "/charge")
            .setAttribute(stringKey("http.route"), "/charge")
            .setAttribute(longKey("http.response.status_code"), 200L)
            .setAttribute(REQUEST_ID, List.of(requestId));
    if (stripped) {
      callee.setNoParent().setAttribute(RECEIVED, List.of("xrequestid"));
    } else {
      callee
          .setParent(Context.root().with(client))
          .setAttribute(RECEIVED, List.of("tracecontext", "xrequestid"))
          .setAttribute(USED, "tracecontext")
          .setAttribute(REMOTE_PARENT, client.getSpanContext().getSpanId());
    }
    Span server = callee.startSpan();
    server.end();
    client.end();
    root.end();
    return new String[] {
      client.getSpanContext().getTraceId(),
      client.getSpanContext().getSpanId(),
      server.getSpanContext().getTraceId(),
      server.getSpanContext().getSpanId()
    };
  }

  /** orders publishes to Kafka; billing consumes a batch in its own trace, linking the producer. */
  static String[] kafkaBatch(Tracer orders, Tracer billing) {
    Span producer =
        orders
            .spanBuilder("orders.created publish")
            .setNoParent()
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(stringKey("messaging.system"), "kafka")
            .setAttribute(stringKey("messaging.destination.name"), "orders.created")
            .setAttribute(stringKey("messaging.destination.partition.id"), "0")
            .setAttribute(longKey("messaging.kafka.offset"), 7L)
            .setAttribute(INJECTED, List.of("tracecontext"))
            .startSpan();
    producer.end();
    Span consumer =
        billing
            .spanBuilder("orders.created process")
            .setNoParent()
            .setSpanKind(SpanKind.CONSUMER)
            .addLink(producer.getSpanContext())
            .setAttribute(stringKey("messaging.system"), "kafka")
            .setAttribute(stringKey("messaging.destination.name"), "orders.created")
            .setAttribute(longKey("messaging.batch.message_count"), 1L)
            .setAttribute(RECEIVED, List.of("tracecontext"))
            .startSpan();
    consumer.end();
    return new String[] {
      producer.getSpanContext().getTraceId(), consumer.getSpanContext().getTraceId()
    };
  }

  JsonNode get(String pathAndQuery) throws Exception {
    return Http.getJson(server.queryPort(), pathAndQuery);
  }

  JsonNode flush() throws Exception {
    HttpResponse<byte[]> r =
        Http.post(server.queryPort(), "/api/v1/analysis/flush", "application/json", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    return Http.JSON.readTree(r.body());
  }

  @Test
  void strippedHop_flush_findingOnEveryReadPath() throws Exception {
    Tracer orders = service("orders");
    Tracer payments = service("payments");
    Tracer billing = service("billing");
    httpHop(orders, payments, false);
    String[] broken = httpHop(orders, payments, true);
    String[] batch = kafkaBatch(orders, billing);
    exportAll();

    assertThat(get("/api/v1/findings").get("findings")).isEmpty(); // nothing settled yet
    JsonNode flushed = flush();
    assertThat(flushed.get("traces").asInt()).isEqualTo(5);
    assertThat(flushed.get("spans").asInt()).isEqualTo(8);
    assertThat(flushed.get("findings").asInt()).isEqualTo(1);

    // /api/v1/findings: the one broken hop, blamed on the path, both traces named
    JsonNode findings = get("/api/v1/findings?kind=context_stripped&service=payments");
    assertThat(findings.get("findings")).hasSize(1);
    JsonNode f = findings.get("findings").get(0);
    assertThat(f.get("kind").asText()).isEqualTo("context_stripped");
    assertThat(f.get("blame").asText()).isEqualTo("path");
    assertThat(f.get("hop").toString())
        .isEqualTo("{\"from\":\"orders\",\"to\":\"payments\",\"transport\":\"http\"}");
    assertThat(f.get("traceIds").toString())
        .isEqualTo("[\"" + broken[0] + "\",\"" + broken[2] + "\"]");
    assertThat(f.get("spanIds").get(0).asText()).isEqualTo(broken[1]);
    assertThat(f.get("spanIds").get(1).asText()).isEqualTo(broken[3]);
    assertThat(f.get("evidence").asText()).contains("x-request-id");
    assertThat(f.get("hint").asText()).isNotEmpty();
    assertThat(f.get("time").asText()).endsWith("Z");
    assertThat(get("/api/v1/findings?kind=missing_span").get("findings")).isEmpty();

    // /api/v1/integrity: one of two orders -> payments hops broke; the Kafka edge is intact
    JsonNode edges = get("/api/v1/integrity").get("edges");
    JsonNode http = edge(edges, "orders", "payments", "http");
    assertThat(http.get("intact").asLong()).isEqualTo(1);
    assertThat(http.get("broken").asLong()).isEqualTo(1);
    assertThat(http.get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(http.get("byKind").get("context_stripped").asLong()).isEqualTo(1);
    JsonNode kafka = edge(edges, "orders", "billing", "kafka");
    assertThat(kafka.get("intact").asLong()).isEqualTo(1);
    assertThat(kafka.get("broken").asLong()).isZero();
    assertThat(kafka.get("destination").asText()).isEqualTo("orders.created");

    // the callee's trace carries its finding, in the REST and the Jaeger API
    JsonNode trace = get("/api/v1/traces/" + broken[2]);
    assertThat(trace.get("findings")).hasSize(1);
    assertThat(trace.get("findings").get(0).get("kind").asText()).isEqualTo("context_stripped");
    JsonNode jaeger = get("/api/traces/" + broken[2]).get("data").get(0);
    JsonNode warned = jaeger.get("spans").get(0);
    assertThat(warned.get("spanID").asText()).isEqualTo(broken[3]);
    assertThat(warned.get("warnings").get(0).asText())
        .startsWith("tracewire context_stripped: orders -> payments (http), blame path");
    JsonNode callerTrace = get("/api/traces/" + broken[0]).get("data").get(0);
    for (JsonNode s : callerTrace.get("spans")) {
      boolean isExit = s.get("spanID").asText().equals(broken[1]);
      assertThat(s.get("warnings").isNull()).isEqualTo(!isExit);
    }

    // the Kafka hop joined only by a link is on the service map
    JsonNode deps = get("/api/dependencies?endTs=" + System.currentTimeMillis());
    assertThat(deps.get("data").toString())
        .contains("{\"parent\":\"orders\",\"child\":\"billing\",\"callCount\":1}")
        .contains("{\"parent\":\"orders\",\"child\":\"payments\",");
    assertThat(get("/api/v1/traces/" + batch[1]).get("findings")).isEmpty();

    // /metrics counts findings by kind, every kind present
    String metrics = Http.get(server.queryPort(), "/metrics").body();
    assertThat(metrics)
        .contains("tracewire_findings_total{kind=\"context_stripped\"} 1")
        .contains("tracewire_findings_total{kind=\"context_not_injected\"} 0")
        .contains("tracewire_analysis_open_traces 0");
  }

  @Test
  void flush_withNothingOpen_decidesNothing() throws Exception {
    JsonNode flushed = flush();

    assertThat(flushed.toString())
        .isEqualTo("{\"traces\":0,\"spans\":0,\"findings\":0,\"edges\":0}");
  }

  @Test
  void flush_onlyPost() throws Exception {
    HttpResponse<String> r = Http.get(server.queryPort(), "/api/v1/analysis/flush");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.body()).contains("expected: POST");
  }

  static JsonNode edge(JsonNode edges, String from, String to, String transport) {
    for (JsonNode e : edges) {
      if (e.get("from").asText().equals(from)
          && e.get("to").asText().equals(to)
          && e.get("transport").asText().equals(transport)) {
        return e;
      }
    }
    throw new AssertionError("no edge " + from + " -> " + to + " (" + transport + ") in " + edges);
  }
}
