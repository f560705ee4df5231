package dev.tracewire.server.app;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewire.server.storage.InMemorySpanStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry SDK's own OTLP exporters send to a started server; every field of what they
 * sent is read back through the REST and Jaeger APIs.
 */
class OtelSdkExportTest {
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

  @Test
  void otlpGrpcExporter_everyFieldReadsBack() throws Exception {
    roundTrip(
        s ->
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + s.otlpGrpcPort())
                .build());
  }

  @Test
  void otlpGrpcExporterWithGzip_everyFieldReadsBack() throws Exception {
    roundTrip(
        s ->
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + s.otlpGrpcPort())
                .setCompression("gzip")
                .build());
  }

  @Test
  void otlpHttpProtobufExporter_everyFieldReadsBack() throws Exception {
    roundTrip(
        s ->
            OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + s.otlpHttpPort() + "/v1/traces")
                .build());
  }

  @Test
  void otlpHttpExporterWithGzip_everyFieldReadsBack() throws Exception {
    roundTrip(
        s ->
            OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + s.otlpHttpPort() + "/v1/traces")
                .setCompression("gzip")
                .build());
  }

  void roundTrip(Function<TracewireServer, SpanExporter> exporterFactory) throws Exception {
    InMemorySpanExporter sent = InMemorySpanExporter.create();
    SpanExporter otlp = exporterFactory.apply(server);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                stringKey("service.name"), "checkout",
                                stringKey("deployment.environment"), "test"))))
            .addSpanProcessor(SimpleSpanProcessor.create(sent))
            .addSpanProcessor(SimpleSpanProcessor.create(otlp))
            .build();
    Tracer tracer = provider.get("dev.tracewire.test", "1.2.3");

    Span linked = tracer.spanBuilder("produce").setSpanKind(SpanKind.PRODUCER).startSpan();
    linked.end();
    Span server =
        tracer
            .spanBuilder("GET /cart")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "GET")
            .setAttribute("http.response.status_code", 500L)
            .setAttribute("sampling.ratio", 0.25)
            .setAttribute("cache.hit", false)
            .setAttribute(stringArrayKey("tags"), List.of("a", "b"))
            .setAttribute(longArrayKey("ports"), List.of(80L, 443L))
            .setAttribute(doubleArrayKey("weights"), List.of(0.5, 1.5))
            .setAttribute(booleanArrayKey("flags"), List.of(true, false))
            .addLink(linked.getSpanContext(), Attributes.of(stringKey("link.kind"), "batch"))
            .startSpan();
    try (Scope ignored = server.makeCurrent()) {
      server.addEvent(
          "cache.miss", Attributes.of(stringKey("key"), "cart:1", longKey("attempt"), 2L));
      Span client = tracer.spanBuilder("SELECT carts").setSpanKind(SpanKind.CLIENT).startSpan();
      client.setAttribute(booleanKey("db.ok"), true);
      client.setAttribute(doubleKey("db.cost"), 1.0);
      client.end();
      server.setStatus(StatusCode.ERROR, "cart service failed");
    } finally {
      server.end();
    }
    assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    List<SpanData> expected = sent.getFinishedSpanItems(); // shutdown clears it
    provider.shutdown().join(10, TimeUnit.SECONDS);

    assertThat(expected).hasSize(3);
    for (SpanData span : expected) {
      assertRestSpan(span);
      assertJaegerSpan(span);
    }
    assertGrafanaSearchFinds(expected.get(2));
  }

  /** The query string Grafana's Jaeger data source sends for a search with tags and durations. */
  void assertGrafanaSearchFinds(SpanData root) throws Exception {
    // a window this narrow leaves out the traces the other exporters sent to the shared server
    long startMicros = root.getStartEpochNanos() / 1000;
    long endMicros = startMicros + 1;
    String query =
        "/api/traces?service=checkout&operation=GET%20%2Fcart"
            + "&tags=%7B%22http.response.status_code%22%3A%22500%22%7D"
            + "&minDuration=&maxDuration=10s&limit=20&start="
            + startMicros
            + "&end="
            + endMicros;

    JsonNode data = Http.getJson(server.queryPort(), query).get("data");

    assertThat(data).hasSize(1);
    assertThat(data.get(0).get("traceID").asText()).isEqualTo(root.getTraceId());
    assertThat(data.get(0).get("spans")).hasSize(2);
    JsonNode services = Http.getJson(server.queryPort(), "/api/services").get("data");
    assertThat(services.toString()).contains("\"checkout\"");
    JsonNode operations =
        Http.getJson(server.queryPort(), "/api/services/checkout/operations").get("data");
    assertThat(operations.toString()).contains("\"GET /cart\"", "\"SELECT carts\"");
  }

  void assertRestSpan(SpanData expected) throws Exception {
    JsonNode trace = Http.getJson(server.queryPort(), "/api/v1/traces/" + expected.getTraceId());
    JsonNode span = find(trace.get("spans"), "spanId", expected.getSpanId());
    assertThat(span.get("traceId").asText()).isEqualTo(expected.getTraceId());
    assertThat(span.get("parentSpanId").asText())
        .isEqualTo(expected.getParentSpanContext().isValid() ? expected.getParentSpanId() : "");
    assertThat(span.get("name").asText()).isEqualTo(expected.getName());
    assertThat(span.get("kind").asText()).isEqualTo(expected.getKind().name());
    assertThat(span.get("startTimeUnixNano").asLong()).isEqualTo(expected.getStartEpochNanos());
    assertThat(span.get("endTimeUnixNano").asLong()).isEqualTo(expected.getEndEpochNanos());
    assertThat(span.get("status").get("code").asText())
        .isEqualTo(expected.getStatus().getStatusCode().name());
    assertThat(span.get("status").get("message").asText())
        .isEqualTo(expected.getStatus().getDescription());
    assertThat(attributes(span.get("attributes"))).isEqualTo(otlp(expected.getAttributes()));
    assertThat(span.get("flags").asInt() & 0xff)
        .isEqualTo(expected.getSpanContext().getTraceFlags().asByte() & 0xff);

    assertThat(span.get("events")).hasSize(expected.getEvents().size());
    for (int i = 0; i < expected.getEvents().size(); i++) {
      EventData e = expected.getEvents().get(i);
      JsonNode actual = span.get("events").get(i);
      assertThat(actual.get("name").asText()).isEqualTo(e.getName());
      assertThat(actual.get("timeUnixNano").asLong()).isEqualTo(e.getEpochNanos());
      assertThat(attributes(actual.get("attributes"))).isEqualTo(otlp(e.getAttributes()));
    }
    assertThat(span.get("links")).hasSize(expected.getLinks().size());
    for (int i = 0; i < expected.getLinks().size(); i++) {
      LinkData l = expected.getLinks().get(i);
      JsonNode actual = span.get("links").get(i);
      assertThat(actual.get("traceId").asText()).isEqualTo(l.getSpanContext().getTraceId());
      assertThat(actual.get("spanId").asText()).isEqualTo(l.getSpanContext().getSpanId());
      assertThat(attributes(actual.get("attributes"))).isEqualTo(otlp(l.getAttributes()));
    }
    assertThat(attributes(span.get("resource").get("attributes")))
        .isEqualTo(otlp(expected.getResource().getAttributes()));
    assertThat(span.get("serviceName").asText()).isEqualTo("checkout");
    assertThat(span.get("scope").get("name").asText())
        .isEqualTo(expected.getInstrumentationScopeInfo().getName());
    assertThat(span.get("scope").get("version").asText())
        .isEqualTo(expected.getInstrumentationScopeInfo().getVersion());
  }

  void assertJaegerSpan(SpanData expected) throws Exception {
    JsonNode data = Http.getJson(server.queryPort(), "/api/traces/" + expected.getTraceId());
    JsonNode trace = data.get("data").get(0);
    JsonNode span = find(trace.get("spans"), "spanID", expected.getSpanId());
    assertThat(span.get("operationName").asText()).isEqualTo(expected.getName());
    assertThat(span.get("startTime").asLong()).isEqualTo(expected.getStartEpochNanos() / 1000);
    assertThat(span.get("duration").asLong())
        .isEqualTo((expected.getEndEpochNanos() - expected.getStartEpochNanos()) / 1000);
    if (expected.getParentSpanContext().isValid()) {
      assertThat(span.get("references").get(0).get("refType").asText()).isEqualTo("CHILD_OF");
      assertThat(span.get("references").get(0).get("spanID").asText())
          .isEqualTo(expected.getParentSpanId());
    }
    Map<String, JsonNode> tags = new HashMap<>();
    span.get("tags").forEach(t -> tags.put(t.get("key").asText(), t));
    expected
        .getAttributes()
        .forEach(
            (key, value) -> {
              JsonNode tag = tags.get(key.getKey());
              assertThat(tag).as(key.getKey()).isNotNull();
              switch (key.getType()) {
                case LONG:
                  assertThat(tag.get("type").asText()).isEqualTo("int64");
                  assertThat(tag.get("value").asLong()).isEqualTo((Long) value);
                  break;
                case DOUBLE:
                  assertThat(tag.get("type").asText()).isEqualTo("float64");
                  assertThat(tag.get("value").asDouble()).isEqualTo((Double) value);
                  break;
                case BOOLEAN:
                  assertThat(tag.get("type").asText()).isEqualTo("bool");
                  assertThat(tag.get("value").asBoolean()).isEqualTo((Boolean) value);
                  break;
                case STRING:
                  assertThat(tag.get("value").asText()).isEqualTo(value);
                  break;
                default:
                  assertThat(tag.get("type").asText()).isEqualTo("string"); // arrays as JSON
              }
            });
    assertThat(tags.get("span.kind").get("value").asText())
        .isEqualTo(expected.getKind().name().toLowerCase(java.util.Locale.ROOT));
    String process = span.get("processID").asText();
    assertThat(trace.get("processes").get(process).get("serviceName").asText())
        .isEqualTo("checkout");
  }

  static JsonNode find(JsonNode spans, String field, String id) {
    for (JsonNode s : spans) {
      if (s.get(field).asText().equals(id)) return s;
    }
    throw new AssertionError("no span " + id + " in " + spans);
  }

  static Map<String, JsonNode> attributes(JsonNode list) {
    Map<String, JsonNode> out = new HashMap<>();
    list.forEach(kv -> out.put(kv.get("key").asText(), kv.get("value")));
    return out;
  }

  /** What OTLP/JSON makes of SDK attributes, keyed by name. */
  static Map<String, JsonNode> otlp(Attributes attributes) {
    Map<String, JsonNode> out = new HashMap<>();
    attributes.forEach((key, value) -> out.put(key.getKey(), otlpValue(key, value)));
    return out;
  }

  static JsonNode otlpValue(AttributeKey<?> key, Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode node = f.objectNode();
    switch (key.getType()) {
      case STRING:
        return node.put("stringValue", (String) value);
      case BOOLEAN:
        return node.put("boolValue", (Boolean) value);
      case LONG:
        return node.put("intValue", Long.toString((Long) value));
      case DOUBLE:
        return node.put("doubleValue", (Double) value);
      default:
        ObjectNode array = node.putObject("arrayValue");
        com.fasterxml.jackson.databind.node.ArrayNode values = array.putArray("values");
        for (Object item : (List<?>) value) {
          if (item instanceof String s) values.addObject().put("stringValue", s);
          if (item instanceof Boolean b) values.addObject().put("boolValue", b);
          if (item instanceof Long l) values.addObject().put("intValue", Long.toString(l));
          if (item instanceof Double d) values.addObject().put("doubleValue", d);
        }
        return node;
    }
  }
}
