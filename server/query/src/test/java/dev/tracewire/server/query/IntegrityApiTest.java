package dev.tracewire.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.tracewire.server.analysis.Edge;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.analysis.Hop;
import dev.tracewire.server.analysis.IntegrityJson;
import dev.tracewire.server.analysis.Transport;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.InMemorySpanStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IntegrityApiTest {
  static final long T0 = 1_700_000_000_000_000_000L; // 2023-11-14T22:13:20Z
  static final long MINUTE = 60_000_000_000L;
  static final TraceId CALLER = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  static final TraceId CALLEE = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");

  static final Span ORDERS_CLIENT = span(CALLER, 0x2L, 0, "orders", SpanKind.CLIENT, T0);
  static final Span PAYMENTS_SERVER =
      span(CALLEE, 0x7L, 0, "payments", SpanKind.SERVER, T0 + 1_000_000L);

  /** orders → payments lost its context at a proxy: the caller's and callee's traces differ. */
  static final Finding STRIPPED =
      Finding.newBuilder()
          .kind(FindingKind.CONTEXT_STRIPPED)
          .hop(new Hop("orders", "payments", Transport.HTTP))
          .traceIds(List.of(CALLER.toHex(), CALLEE.toHex()))
          .spanIds(List.of("0000000000000002", "0000000000000007"))
          .evidence("orders injected [tracecontext]; payments received nothing")
          .hint("Let traceparent through the proxy between orders and payments.")
          .timeEpochNanos(T0)
          .build();

  /** A parent of the callee's trace never arrived: names no span of the stored trace. */
  static final Finding MISSING =
      Finding.newBuilder()
          .kind(FindingKind.MISSING_SPAN)
          .hop(new Hop(null, "payments", Transport.UNKNOWN))
          .traceIds(List.of(CALLEE.toHex()))
          .spanIds(List.of("00000000000000aa"))
          .evidence("parent 00000000000000aa never arrived")
          .timeEpochNanos(T0 + 2 * MINUTE)
          .build();

  static final Edge ORDERS_PAYMENTS = new Edge("orders", "payments", Transport.HTTP, "");
  static final Edge ORDERS_BILLING = new Edge("orders", "billing", Transport.KAFKA, "orders");

  static InMemorySpanStore store;
  static Server server;
  static final HttpClient client = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    store = InMemorySpanStore.create();
    store.write(List.of(ORDERS_CLIENT, PAYMENTS_SERVER));
    store.writeIntegrity(
        List.of(STRIPPED, MISSING),
        List.of(
            EdgeStats.create(
                ORDERS_PAYMENTS, T0, MINUTE, 3, 1, Map.of(FindingKind.CONTEXT_STRIPPED, 1L)),
            EdgeStats.create(ORDERS_PAYMENTS, T0 + MINUTE, MINUTE, 4, 0, Map.of()),
            // a batch consumer joined by a link: no parent/child pair exists for it
            EdgeStats.create(ORDERS_BILLING, T0, MINUTE, 5, 0, Map.of())));
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

  @Test
  void findings_sameObjectsAsAnalyze_plusTime() throws Exception {
    JsonNode body = get("/api/v1/findings?kind=context_stripped").body();

    assertThat(body.get("findings")).hasSize(1);
    JsonNode f = body.get("findings").get(0);
    assertThat(f.get("time").asText()).isEqualTo("2023-11-14T22:13:20Z");
    ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove("time");
    StringBuilder analyze = new StringBuilder();
    IntegrityJson.writeFinding(STRIPPED, analyze);
    assertThat(f).isEqualTo(JSON.readTree(analyze.toString()));
  }

  @Test
  void findings_filtersByWindowServiceAndKind() throws Exception {
    assertThat(get("/api/v1/findings").body().get("findings")).hasSize(2);
    long oneMinuteInMillis = (T0 + MINUTE) / 1_000_000L;
    JsonNode late = get("/api/v1/findings?start=" + oneMinuteInMillis).body().get("findings");
    assertThat(late).hasSize(1);
    assertThat(late.get(0).get("kind").asText()).isEqualTo("missing_span");
    assertThat(get("/api/v1/findings?end=2023-11-14T22:14:00Z").body().get("findings")).hasSize(1);
    assertThat(get("/api/v1/findings?service=orders").body().get("findings")).hasSize(1);
    assertThat(get("/api/v1/findings?service=billing").body().get("findings")).isEmpty();
    assertThat(get("/api/v1/findings?kind=clock_skew").body().get("findings")).isEmpty();
  }

  @Test
  void findings_badKind_is400NamingTheKinds() throws Exception {
    Reply r = get("/api/v1/findings?kind=stripped");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("error").asText())
        .startsWith("kind: \"stripped\"")
        .contains("context_stripped");
  }

  @Test
  void integrity_ratioCountsByKindAndBuckets() throws Exception {
    JsonNode edges = get("/api/v1/integrity").body().get("edges");

    assertThat(edges).hasSize(2);
    JsonNode billing = edges.get(0);
    assertThat(billing.get("to").asText()).isEqualTo("billing");
    assertThat(billing.get("transport").asText()).isEqualTo("kafka");
    assertThat(billing.get("destination").asText()).isEqualTo("orders");
    JsonNode payments = edges.get(1);
    assertThat(payments.get("from").asText()).isEqualTo("orders");
    assertThat(payments.get("to").asText()).isEqualTo("payments");
    assertThat(payments.get("transport").asText()).isEqualTo("http");
    assertThat(payments.get("intact").asLong()).isEqualTo(7);
    assertThat(payments.get("broken").asLong()).isEqualTo(1);
    assertThat(payments.get("ratio").asDouble()).isEqualTo(7 / 8.0);
    assertThat(payments.get("byKind").toString()).isEqualTo("{\"context_stripped\":1}");
    assertThat(payments.get("buckets")).hasSize(2);
    assertThat(payments.get("buckets").get(1).get("start").asText())
        .isEqualTo("2023-11-14T22:14:20Z");
  }

  @Test
  void integrity_windowOnBucketStart() throws Exception {
    long second = (T0 + MINUTE) / 1_000_000L;
    JsonNode edges = get("/api/v1/integrity?start=" + second).body().get("edges");

    assertThat(edges).hasSize(1);
    assertThat(edges.get(0).get("intact").asLong()).isEqualTo(4);
    assertThat(edges.get(0).get("ratio").asDouble()).isEqualTo(1.0);
  }

  @Test
  void restTrace_includesItsFindings() throws Exception {
    JsonNode body = get("/api/v1/traces/" + CALLEE.toHex()).body();

    assertThat(body.get("findings")).hasSize(2);
    assertThat(body.get("findings").get(0).get("kind").asText()).isEqualTo("missing_span");
    assertThat(body.get("findings").get(1).get("kind").asText()).isEqualTo("context_stripped");
    assertThat(get("/api/v1/traces/" + CALLER.toHex()).body().get("findings")).hasSize(1);
  }

  @Test
  void restSearch_summariesCountFindings() throws Exception {
    JsonNode traces = get("/api/v1/traces?service=payments").body().get("traces");

    assertThat(traces).hasSize(1);
    assertThat(traces.get(0).get("findingCount").asInt()).isEqualTo(2);
  }

  @Test
  void restSearch_withFindings_onlyTracesAFindingNames() throws Exception {
    store.write(List.of(span(TraceId.of(0, 0x78), 0x1L, 0, "orders", SpanKind.SERVER, T0)));

    JsonNode traces = get("/api/v1/traces?withFindings=true").body().get("traces");
    JsonNode orders = get("/api/v1/traces?withFindings=true&service=orders").body().get("traces");

    // newest finding first: the missing span names only the callee's trace
    assertThat(traces).hasSize(2);
    assertThat(traces.get(0).get("traceId").asText()).isEqualTo(CALLEE.toHex());
    assertThat(traces.get(1).get("traceId").asText()).isEqualTo(CALLER.toHex());
    // the hop names orders, and of its two traces only the caller's has an orders span
    assertThat(orders).hasSize(1);
    assertThat(orders.get(0).get("traceId").asText()).isEqualTo(CALLER.toHex());
    assertThat(get("/api/v1/traces?service=orders").body().get("traces")).hasSize(2);
    assertThat(get("/api/v1/traces?withFindings=maybe").status()).isEqualTo(400);
  }

  @Test
  void jaegerTrace_findingsAsSpanAndTraceWarnings() throws Exception {
    JsonNode trace = get("/api/traces/" + CALLEE.toHex()).body().get("data").get(0);

    JsonNode span = trace.get("spans").get(0);
    assertThat(span.get("spanID").asText()).isEqualTo("0000000000000007");
    assertThat(span.get("warnings")).hasSize(1);
    assertThat(span.get("warnings").get(0).asText())
        .startsWith("tracewire context_stripped: orders -> payments (http), blame path")
        .contains("Let traceparent through the proxy");
    // the missing parent is not in the trace, so its finding is the trace's
    assertThat(trace.get("warnings")).hasSize(1);
    assertThat(trace.get("warnings").get(0).asText()).startsWith("tracewire missing_span");
  }

  @Test
  void jaegerTrace_withoutFindings_warningsNull() throws Exception {
    store.write(List.of(span(TraceId.of(0, 0x77), 0x1L, 0, "clean", SpanKind.SERVER, T0)));

    JsonNode trace = get("/api/traces/" + TraceId.of(0, 0x77).toHex()).body().get("data").get(0);

    assertThat(trace.get("warnings").isNull()).isTrue();
    assertThat(trace.get("spans").get(0).get("warnings").isNull()).isTrue();
  }

  @Test
  void jaegerDependencies_includeEdgesOnlyIntegrityKnows() throws Exception {
    long endMillis = (T0 + 10 * MINUTE) / 1_000_000L;
    JsonNode data =
        get("/api/dependencies?endTs=" + endMillis + "&lookback=3600000").body().get("data");

    // no parent/child pair crosses services here: both edges come from the integrity counts
    assertThat(data.toString())
        .isEqualTo(
            "[{\"parent\":\"orders\",\"child\":\"billing\",\"callCount\":5},"
                + "{\"parent\":\"orders\",\"child\":\"payments\",\"callCount\":8}]");
    long beforeMillis = (T0 - MINUTE) / 1_000_000L;
    assertThat(
            get("/api/dependencies?endTs=" + beforeMillis + "&lookback=60000").body().get("data"))
        .isEmpty();
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

  static Span span(TraceId trace, long id, long parent, String service, SpanKind kind, long start) {
    return Span.newBuilder()
        .traceId(trace)
        .spanId(id)
        .parentSpanId(parent)
        .name("op")
        .kind(kind)
        .startEpochNanos(start)
        .endEpochNanos(start + 5_000_000L)
        .resource(Resource.create(Attributes.newBuilder().put("service.name", service).build()))
        .build();
  }
}
