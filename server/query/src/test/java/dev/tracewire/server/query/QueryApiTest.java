package dev.tracewire.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryApiTest {
  static final long T0 = 1_700_000_000_000_000_000L; // epoch nanos
  static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  static final Resource FRONTEND =
      Resource.create(
          Attributes.newBuilder().put("service.name", "frontend").put("host.name", "h1").build());
  static final Resource BACKEND =
      Resource.create(Attributes.newBuilder().put("service.name", "backend").build());

  static final Span ROOT =
      Span.newBuilder()
          .traceId(TRACE)
          .spanId(0x1L)
          .name("GET /users")
          .kind(SpanKind.SERVER)
          .startEpochNanos(T0)
          .endEpochNanos(T0 + 250_000_000L)
          .attributes(
              Attributes.newBuilder()
                  .put("http.method", "GET")
                  .put("http.status_code", 200L)
                  .put("ratio", 0.5)
                  .put("cached", false)
                  .put("raw", AttributeValue.of(new byte[] {1, 2}))
                  .put(
                      "list",
                      AttributeValue.ofArray(
                          List.of(AttributeValue.of("a"), AttributeValue.of(1L))))
                  .build())
          .events(
              List.of(
                  Event.create(
                      T0 + 1000, "cache.miss", Attributes.newBuilder().put("key", "u1").build())))
          .traceState("vendor=x")
          .flags(1)
          .resource(FRONTEND)
          .scope(InstrumentationScope.create("io.opentelemetry.jdk-httpserver", "2.31.1"))
          .build();
  static final Span CLIENT =
      Span.newBuilder()
          .traceId(TRACE)
          .spanId(0x2L)
          .parentSpanId(0x1L)
          .name("GET")
          .kind(SpanKind.CLIENT)
          .startEpochNanos(T0 + 10_000_000L)
          .endEpochNanos(T0 + 200_000_000L)
          .resource(FRONTEND)
          .build();
  static final Span SERVER =
      Span.newBuilder()
          .traceId(TRACE)
          .spanId(0x3L)
          .parentSpanId(0x2L)
          .name("list users")
          .kind(SpanKind.SERVER)
          .startEpochNanos(T0 + 20_000_000L)
          .endEpochNanos(T0 + 190_000_000L)
          .status(Status.create(StatusCode.ERROR, "db down"))
          .links(
              List.of(
                  Link.create(
                      TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"),
                      0xb7ad6b7169203331L,
                      Attributes.empty())))
          .resource(BACKEND)
          .build();
  static final Span OTHER =
      Span.newBuilder()
          .traceId(TraceId.fromHex("00000000000000000000000000000abc"))
          .spanId(0x9L)
          .name("POST /orders")
          .kind(SpanKind.SERVER)
          .startEpochNanos(T0 + 5_000_000_000L)
          .endEpochNanos(T0 + 5_001_000_000L)
          .resource(FRONTEND)
          .build();

  static InMemorySpanStore store;
  static Server server;
  static HttpClient client = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    store = InMemorySpanStore.create();
    store.write(List.of(ROOT, CLIENT, SERVER, OTHER));
    ServerBuilder sb = Server.builder().http(0);
    QueryApi.create(store).addTo(sb);
    server = sb.build();
    server.start().join();
  }

  @AfterAll
  static void stop() {
    server.stop().join();
    store.close();
  }

  record Reply(int status, JsonNode body) {}

  static Reply get(String pathAndQuery) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.activeLocalPort() + pathAndQuery))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void restTrace_returnsEveryField() throws Exception {
    Reply r = get("/api/v1/traces/" + TRACE.toHex());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("traceId").asText()).isEqualTo(TRACE.toHex());
    JsonNode root = r.body().get("spans").get(0);
    assertThat(root.get("spanId").asText()).isEqualTo("0000000000000001");
    assertThat(root.get("parentSpanId").asText()).isEmpty();
    assertThat(root.get("name").asText()).isEqualTo("GET /users");
    assertThat(root.get("kind").asText()).isEqualTo("SERVER");
    assertThat(root.get("serviceName").asText()).isEqualTo("frontend");
    assertThat(root.get("startTimeUnixNano").asText()).isEqualTo(Long.toString(T0));
    assertThat(root.get("durationNanos").asLong()).isEqualTo(250_000_000L);
    assertThat(root.get("traceState").asText()).isEqualTo("vendor=x");
    assertThat(root.get("attributes").toString())
        .isEqualTo(
            "[{\"key\":\"http.method\",\"value\":{\"stringValue\":\"GET\"}},"
                + "{\"key\":\"http.status_code\",\"value\":{\"intValue\":\"200\"}},"
                + "{\"key\":\"ratio\",\"value\":{\"doubleValue\":0.5}},"
                + "{\"key\":\"cached\",\"value\":{\"boolValue\":false}},"
                + "{\"key\":\"raw\",\"value\":{\"bytesValue\":\"AQI=\"}},"
                + "{\"key\":\"list\",\"value\":{\"arrayValue\":{\"values\":"
                + "[{\"stringValue\":\"a\"},{\"intValue\":\"1\"}]}}}]");
    assertThat(root.get("events").get(0).get("name").asText()).isEqualTo("cache.miss");
    assertThat(root.get("scope").get("name").asText()).isEqualTo("io.opentelemetry.jdk-httpserver");
    assertThat(root.get("resource").get("attributes").get(1).get("key").asText())
        .isEqualTo("host.name");
    JsonNode server = r.body().get("spans").get(2);
    assertThat(server.get("status").get("code").asText()).isEqualTo("ERROR");
    assertThat(server.get("links").get(0).get("spanId").asText()).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void restTrace_unknown_is404() throws Exception {
    Reply r = get("/api/v1/traces/0af7651916cd43dd8448eb211c80319c");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("error").asText()).contains("not found");
  }

  @Test
  void restTrace_badId_is400NamingTheParameter() throws Exception {
    Reply r = get("/api/v1/traces/xyz");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("error").asText()).startsWith("traceId: \"xyz\"");
  }

  @Test
  void restSearch_byServiceTagAndDuration() throws Exception {
    Reply r =
        get(
            "/api/v1/traces?service=frontend&operation="
                + enc("GET /users")
                + "&tags="
                + enc("http.status_code=200")
                + "&minDuration=100ms&maxDuration=1s&limit=5");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("traces")).hasSize(1);
    JsonNode t = r.body().get("traces").get(0);
    assertThat(t.get("traceId").asText()).isEqualTo(TRACE.toHex());
    assertThat(t.get("rootServiceName").asText()).isEqualTo("frontend");
    assertThat(t.get("spanCount").asInt()).isEqualTo(3);
    assertThat(t.get("errorCount").asInt()).isEqualTo(1);
    assertThat(t.get("services").toString()).isEqualTo("[\"backend\",\"frontend\"]");
  }

  @Test
  void restSearch_timeWindow_excludesOlderTraces() throws Exception {
    long fromMillis = (T0 + 4_000_000_000L) / 1_000_000L;

    Reply r = get("/api/v1/traces?service=frontend&start=" + fromMillis);

    assertThat(r.body().get("traces")).hasSize(1);
    assertThat(r.body().get("traces").get(0).get("rootName").asText()).isEqualTo("POST /orders");
  }

  @Test
  void restSearch_badParameters_are400NamingEach() throws Exception {
    assertThat(get("/api/v1/traces?limit=0").body().get("error").asText()).startsWith("limit: ");
    assertThat(get("/api/v1/traces?minDuration=fast").body().get("error").asText())
        .startsWith("minDuration: \"fast\"");
    assertThat(get("/api/v1/traces?start=yesterday").body().get("error").asText())
        .startsWith("start: ");
    assertThat(get("/api/v1/traces?tags=novalue").body().get("error").asText())
        .startsWith("tags: ");
    assertThat(get("/api/v1/traces?minDuration=2s&maxDuration=1s").status()).isEqualTo(400);
  }

  @Test
  void restServicesAndOperations() throws Exception {
    assertThat(get("/api/v1/services").body().get("services").toString())
        .isEqualTo("[\"backend\",\"frontend\"]");
    assertThat(get("/api/v1/services/frontend/operations").body().get("operations").toString())
        .isEqualTo(
            "[{\"name\":\"GET\",\"kind\":\"CLIENT\"},{\"name\":\"GET /users\",\"kind\":\"SERVER\"},"
                + "{\"name\":\"POST /orders\",\"kind\":\"SERVER\"}]");
  }

  // The requests below are the ones Grafana's Jaeger data source sends.

  @Test
  void jaegerServices_grafanaShape() throws Exception {
    Reply r = get("/api/services");

    assertThat(r.body().get("data").toString()).isEqualTo("[\"backend\",\"frontend\"]");
    assertThat(r.body().get("total").asInt()).isEqualTo(2);
    assertThat(r.body().get("errors").isNull()).isTrue();
  }

  @Test
  void jaegerOperations_grafanaShape() throws Exception {
    assertThat(get("/api/services/frontend/operations").body().get("data").toString())
        .isEqualTo("[\"GET\",\"GET /users\",\"POST /orders\"]");
    assertThat(
            get("/api/operations?service=frontend&spanKind=client").body().get("data").toString())
        .isEqualTo("[{\"name\":\"GET\",\"spanKind\":\"client\"}]");
  }

  @Test
  void jaegerSearch_grafanaQueryString() throws Exception {
    long startMicros = T0 / 1000 - 3_600_000_000L;
    long endMicros = T0 / 1000 + 3_600_000_000L;

    Reply r =
        get(
            "/api/traces?service=frontend&operation="
                + enc("GET /users")
                + "&tags="
                + enc("{\"http.method\":\"GET\"}")
                + "&minDuration=1.2ms&maxDuration=1s&limit=20&start="
                + startMicros
                + "&end="
                + endMicros);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("data")).hasSize(1);
    assertJaegerTrace(r.body().get("data").get(0));
  }

  @Test
  void jaegerSearch_windowExcludingSpans_findsNothing() throws Exception {
    long endMicros = T0 / 1000 - 1;

    Reply r = get("/api/traces?service=frontend&start=0&end=" + endMicros + "&limit=20");

    assertThat(r.body().get("data")).isEmpty();
  }

  @Test
  void jaegerSearch_badTags_is400InJaegerShape() throws Exception {
    Reply r = get("/api/traces?service=frontend&tags=" + enc("{\"a\":"));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("data").isNull()).isTrue();
    assertThat(r.body().get("errors").get(0).get("code").asInt()).isEqualTo(400);
    assertThat(r.body().get("errors").get(0).get("msg").asText()).startsWith("tags: ");
  }

  @Test
  void jaegerTrace_grafanaShape() throws Exception {
    Reply r = get("/api/traces/" + TRACE.toHex());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("data")).hasSize(1);
    assertJaegerTrace(r.body().get("data").get(0));
  }

  @Test
  void jaegerTrace_unknown_is404WithErrors() throws Exception {
    Reply r = get("/api/traces/0af7651916cd43dd8448eb211c80319c");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("errors").get(0).get("code").asInt()).isEqualTo(404);
  }

  static void assertJaegerTrace(JsonNode trace) {
    assertThat(trace.get("traceID").asText()).isEqualTo(TRACE.toHex());
    JsonNode spans = trace.get("spans");
    assertThat(spans).hasSize(3);
    JsonNode root = spans.get(0);
    assertThat(root.get("spanID").asText()).isEqualTo("0000000000000001");
    assertThat(root.get("operationName").asText()).isEqualTo("GET /users");
    assertThat(root.get("references")).isEmpty();
    assertThat(root.get("startTime").asLong()).isEqualTo(T0 / 1000);
    assertThat(root.get("duration").asLong()).isEqualTo(250_000L);
    assertThat(root.get("processID").asText()).isEqualTo("p1");
    assertThat(root.get("tags").toString())
        .contains("{\"key\":\"http.status_code\",\"type\":\"int64\",\"value\":200}")
        .contains("{\"key\":\"ratio\",\"type\":\"float64\",\"value\":0.5}")
        .contains("{\"key\":\"cached\",\"type\":\"bool\",\"value\":false}")
        .contains("{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"}")
        .contains("{\"key\":\"otel.scope.name\",\"type\":\"string\"");
    assertThat(root.get("logs").get(0).get("timestamp").asLong()).isEqualTo(T0 / 1000 + 1);
    assertThat(root.get("logs").get(0).get("fields").get(0).toString())
        .isEqualTo("{\"key\":\"event\",\"type\":\"string\",\"value\":\"cache.miss\"}");
    JsonNode client = spans.get(1);
    assertThat(client.get("references").get(0).toString())
        .isEqualTo(
            "{\"refType\":\"CHILD_OF\",\"traceID\":\""
                + TRACE.toHex()
                + "\",\"spanID\":\"0000000000000001\"}");
    JsonNode server = spans.get(2);
    assertThat(server.get("processID").asText()).isEqualTo("p2");
    assertThat(server.get("references").get(1).get("refType").asText()).isEqualTo("FOLLOWS_FROM");
    assertThat(server.get("tags").toString())
        .contains("{\"key\":\"error\",\"type\":\"bool\",\"value\":true}")
        .contains(
            "{\"key\":\"otel.status_description\",\"type\":\"string\",\"value\":\"db down\"}");
    JsonNode processes = trace.get("processes");
    assertThat(processes.get("p1").get("serviceName").asText()).isEqualTo("frontend");
    assertThat(processes.get("p1").get("tags").toString())
        .isEqualTo("[{\"key\":\"host.name\",\"type\":\"string\",\"value\":\"h1\"}]");
    assertThat(processes.get("p2").get("serviceName").asText()).isEqualTo("backend");
  }

  @Test
  void jaegerDependencies_grafanaQueryString() throws Exception {
    long endTs = T0 / 1_000_000 + 60_000;

    Reply r = get("/api/dependencies?endTs=" + endTs + "&lookback=604800000");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("data").toString())
        .isEqualTo("[{\"parent\":\"frontend\",\"child\":\"backend\",\"callCount\":1}]");
  }

  @Test
  void jaegerDependencies_badEndTs_is400() throws Exception {
    Reply r = get("/api/dependencies?endTs=now&lookback=604800000");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("errors").get(0).get("msg").asText()).startsWith("endTs: ");
  }

  @Test
  void parseDuration_goStyle() {
    assertThat(Params.parseDuration("1.2s")).isEqualTo(1_200_000_000L);
    assertThat(Params.parseDuration("100ms")).isEqualTo(100_000_000L);
    assertThat(Params.parseDuration("1m30s")).isEqualTo(90_000_000_000L);
    assertThat(Params.parseDuration("250us")).isEqualTo(250_000L);
    assertThat(Params.parseDuration("250µs")).isEqualTo(250_000L);
    assertThat(Params.parseDuration("1500")).isEqualTo(1_500_000L);
    assertThat(Params.parseDuration("1.2")).isEqualTo(-1);
    assertThat(Params.parseDuration("ms")).isEqualTo(-1);
    assertThat(Params.parseDuration("1d")).isEqualTo(-1);
  }
}
