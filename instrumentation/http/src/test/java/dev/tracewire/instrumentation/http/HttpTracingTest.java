package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.propagation.HopDiagnostics;
import dev.tracewire.propagation.TracewirePropagator;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HttpTracing on real JDK servers and clients: semconv, errors, async context, mesh headers. */
class HttpTracingTest {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  final AtomicReference<Map<String, String>> lastHeaders = new AtomicReference<>();
  final List<AutoCloseable> closing = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) c.close();
  }

  /** A service "payments" answering {@code status} on /pay and recording the headers it got. */
  TestServers.Jdk payments(int status) throws IOException {
    TestServers.Jdk server =
        new TestServers.Jdk(
            HttpTracing.create(capture.service("payments")),
            "/pay",
            exchange -> {
              lastHeaders.set(headers(exchange));
              TestServers.respond(exchange, status, "paid");
            });
    closing.add(server);
    return server;
  }

  /** A service "orders" on /order that calls {@code next} with its traced client. */
  TestServers.Jdk orders(HttpTracing tracing, String next) throws IOException {
    HttpClient client = tracing.wrap(HttpClient.newHttpClient());
    TestServers.Jdk server =
        new TestServers.Jdk(
            tracing,
            "/order",
            exchange -> {
              try {
                HttpResponse<String> response =
                    client.send(
                        HttpRequest.newBuilder(URI.create(next)).build(), BodyHandlers.ofString());
                TestServers.respond(exchange, 200, response.body());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                TestServers.respond(exchange, 500, "interrupted");
              }
            });
    closing.add(server);
    return server;
  }

  static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
    return headers;
  }

  static HttpRequest get(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
  }

  static SpanData only(List<SpanData> spans, String service, SpanKind kind) {
    List<SpanData> matching =
        spans.stream()
            .filter(
                s ->
                    s.getKind() == kind
                        && service.equals(
                            s.getResource().getAttribute(AttributeKey.stringKey("service.name"))))
            .toList();
    assertThat(matching).as("%s %s spans in %s", service, kind, spans).hasSize(1);
    return matching.get(0);
  }

  @Test
  void send_spansCarrySemconvAttributes() throws Exception {
    TestServers.Jdk payments = payments(200);
    HttpClient client =
        HttpTracing.create(capture.service("orders")).wrap(HttpClient.newHttpClient());

    client.send(get(payments.port(), "/pay?amount=3"), BodyHandlers.ofString());

    List<SpanData> spans = capture.awaitSpans(2);
    SpanData server = only(spans, "payments", SpanKind.SERVER);
    SpanData exit = only(spans, "orders", SpanKind.CLIENT);
    assertThat(server.getName()).isEqualTo("GET /pay");
    assertThat(server.getAttributes().get(METHOD)).isEqualTo("GET");
    assertThat(server.getAttributes().get(ROUTE)).isEqualTo("/pay");
    assertThat(server.getAttributes().get(URL_PATH)).isEqualTo("/pay");
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(200L);
    assertThat(exit.getName()).isEqualTo("GET");
    assertThat(exit.getAttributes().get(URL_FULL))
        .isEqualTo("http://127.0.0.1:" + payments.port() + "/pay?amount=3");
    assertThat(exit.getAttributes().get(SERVER_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(exit.getAttributes().get(SERVER_PORT)).isEqualTo((long) payments.port());
    assertThat(exit.getAttributes().get(STATUS)).isEqualTo(200L);
    assertThat(server.getParentSpanId()).isEqualTo(exit.getSpanId());
  }

  @Test
  void send_serverAnswers500_bothSpansAreErrors() throws Exception {
    TestServers.Jdk payments = payments(500);
    HttpClient client =
        HttpTracing.create(capture.service("orders")).wrap(HttpClient.newHttpClient());

    assertThat(client.send(get(payments.port(), "/pay"), BodyHandlers.ofString()).statusCode())
        .isEqualTo(500);

    List<SpanData> spans = capture.awaitSpans(2);
    SpanData server = only(spans, "payments", SpanKind.SERVER);
    SpanData exit = only(spans, "orders", SpanKind.CLIENT);
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exit.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exit.getAttributes().get(ERROR_TYPE)).isEqualTo("500");
  }

  @Test
  void send_connectionRefused_rethrowsAndEndsSpanAsError() throws Exception {
    HttpClient client =
        HttpTracing.create(capture.service("orders")).wrap(HttpClient.newHttpClient());
    int closedPort = closedPort();

    assertThatThrownBy(() -> client.send(get(closedPort, "/pay"), BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);

    SpanData exit = only(capture.awaitSpans(1), "orders", SpanKind.CLIENT);
    assertThat(exit.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exit.getAttributes().get(ERROR_TYPE)).isEqualTo(ConnectException.class.getName());
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void sendAsync_connectionRefused_failsFutureAndEndsSpanAsError() throws Exception {
    HttpClient client =
        HttpTracing.create(capture.service("orders")).wrap(HttpClient.newHttpClient());

    assertThatThrownBy(
            () -> client.sendAsync(get(closedPort(), "/pay"), BodyHandlers.ofString()).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ConnectException.class);

    SpanData exit = only(capture.awaitSpans(1), "orders", SpanKind.CLIENT);
    assertThat(exit.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void sendAsync_chainedStages_runInCallersContext() throws Exception {
    TestServers.Jdk payments = payments(200);
    OpenTelemetry orders = capture.service("orders");
    HttpClient client = HttpTracing.create(orders).wrap(HttpClient.newHttpClient());
    Span checkout = orders.getTracer("test").spanBuilder("checkout").startSpan();
    AtomicReference<Context> inStage = new AtomicReference<>();
    AtomicReference<String> stageThread = new AtomicReference<>();

    try (Scope ignored = checkout.makeCurrent()) {
      client
          .sendAsync(get(payments.port(), "/pay"), BodyHandlers.ofString())
          .thenApply(
              response -> {
                inStage.set(Context.current());
                stageThread.set(Thread.currentThread().getName());
                return response.body();
              })
          .join();
    } finally {
      checkout.end();
    }

    assertThat(Span.fromContext(inStage.get()).getSpanContext())
        .isEqualTo(checkout.getSpanContext());
    TraceAssert.assertThat(capture.awaitTrace(checkout.getSpanContext().getTraceId(), 3))
        .isUnbroken()
        .hasHop("orders", "payments", "http");
  }

  @Test
  void captureRequestHeaders_recordedOnBothSides() throws Exception {
    TestServers.Jdk payments =
        new TestServers.Jdk(
            HttpTracing.newBuilder(capture.service("payments"))
                .captureRequestHeaders("X-Tenant")
                .build(),
            "/pay",
            exchange -> TestServers.respond(exchange, 200, "paid"));
    closing.add(payments);
    HttpClient client =
        HttpTracing.newBuilder(capture.service("orders"))
            .captureRequestHeaders("x-tenant")
            .build()
            .wrap(HttpClient.newHttpClient());

    client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + payments.port() + "/pay"))
            .header("X-Tenant", "acme")
            .build(),
        BodyHandlers.ofString());

    AttributeKey<List<String>> tenant = AttributeKey.stringArrayKey("http.request.header.x-tenant");
    List<SpanData> spans = capture.awaitSpans(2);
    assertThat(only(spans, "payments", SpanKind.SERVER).getAttributes().get(tenant))
        .containsExactly("acme");
    assertThat(only(spans, "orders", SpanKind.CLIENT).getAttributes().get(tenant))
        .containsExactly("acme");
  }

  @Test
  void wrap_alreadyTraced_returnsSameClient() {
    HttpTracing tracing = HttpTracing.create(capture.service("orders"));
    HttpClient traced = tracing.wrap(HttpClient.newHttpClient());

    assertThat(tracing.wrap(traced)).isSameAs(traced);
  }

  @Test
  void meshPropagator_writesB3MultiBesideTraceContext() throws Exception {
    TestServers.Jdk payments = payments(200);
    TracewirePropagator mesh =
        TracewirePropagator.newBuilder()
            .inject(Format.TRACECONTEXT, Format.BAGGAGE, Format.B3_MULTI, Format.REQUEST_ID)
            .build();
    HttpClient client =
        HttpTracing.newBuilder(capture.service("orders"))
            .propagator(mesh)
            .build()
            .wrap(HttpClient.newHttpClient());

    client.send(get(payments.port(), "/pay"), BodyHandlers.ofString());

    List<SpanData> spans = capture.awaitSpans(2);
    SpanData exit = only(spans, "orders", SpanKind.CLIENT);
    SpanData server = only(spans, "payments", SpanKind.SERVER);
    Map<String, String> sent = lastHeaders.get();
    assertThat(sent)
        .containsEntry("X-B3-TraceId", exit.getTraceId())
        .containsEntry("X-B3-SpanId", exit.getSpanId())
        .containsEntry("X-B3-Sampled", "1")
        .containsKey("traceparent");
    assertThat(exit.getAttributes().get(HopAttributes.INJECTED))
        .containsExactly("tracecontext", "b3multi");
    assertThat(server.getAttributes().get(HopAttributes.RECEIVED))
        .containsExactly("tracecontext", "b3multi");
    assertThat(server.getAttributes().get(HopAttributes.CONFLICT)).isNull();
  }

  @Test
  void inboundB3Multi_fromMeshProxy_isForwardedOnward() throws Exception {
    TestServers.Jdk payments = payments(200);
    TestServers.Jdk orders =
        orders(
            HttpTracing.create(capture.service("orders")),
            "http://127.0.0.1:" + payments.port() + "/pay");
    String traceId = "463ac35c9f6413ad48485a3953bb6124";
    // what Envoy's Zipkin tracer sends: B3 multi only
    HttpRequest fromProxy =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orders.port() + "/order"))
            .header("X-B3-TraceId", traceId)
            .header("X-B3-SpanId", "a2fb4a1d1a96d312")
            .header("X-B3-Sampled", "1")
            .build();

    HttpClient.newHttpClient().send(fromProxy, BodyHandlers.ofString());

    List<SpanData> spans = capture.awaitTrace(traceId, 3).spans();
    SpanData ordersEntry = only(spans, "orders", SpanKind.SERVER);
    SpanData ordersExit = only(spans, "orders", SpanKind.CLIENT);
    assertThat(ordersEntry.getAttributes().get(HopAttributes.USED)).isEqualTo("b3multi");
    assertThat(ordersEntry.getParentSpanId()).isEqualTo("a2fb4a1d1a96d312");
    assertThat(ordersExit.getAttributes().get(HopAttributes.INJECTED))
        .containsExactly("tracecontext", "b3multi");
    assertThat(lastHeaders.get())
        .containsEntry("X-B3-TraceId", traceId)
        .containsEntry("X-B3-SpanId", ordersExit.getSpanId());
    TraceAssert.assertThat(capture.trace(traceId)).hasHop("orders", "payments", "http");
  }

  @Test
  void requestId_fromEdgeProxy_isForwardedAndRecordedOnEverySpan() throws Exception {
    TestServers.Jdk payments = payments(200);
    TestServers.Jdk orders =
        orders(
            HttpTracing.create(capture.service("orders")),
            "http://127.0.0.1:" + payments.port() + "/pay");
    Nginx edge = Nginx.requestIdEdge(orders.port());
    closing.add(0, edge);

    HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(get(edge.port(), "/order"), BodyHandlers.ofString());

    List<SpanData> spans = capture.awaitSpans(3);
    String requestId = lastHeaders.get().get("x-request-id");
    assertThat(requestId).as("x-request-id nginx generated, as payments got it").hasSize(32);
    for (SpanData span : spans) {
      assertThat(span.getAttributes().get(HopDiagnostics.REQUEST_ID_HEADER))
          .as("x-request-id on %s", span)
          .containsExactly(requestId);
    }
    SpanData ordersExit = only(spans, "orders", SpanKind.CLIENT);
    assertThat(ordersExit.getAttributes().get(HopAttributes.INJECTED))
        .containsExactly("tracecontext", "xrequestid");
    TraceAssert.assertThat(capture.trace(ordersExit.getTraceId()))
        .isUnbroken()
        .hasHop("orders", "payments", "http");
  }

  @Test
  void calleeIgnoringHeaders_hopIsBroken_andTheAssertionSaysSo() throws Exception {
    // payments reads only Jaeger headers, so it neither continues nor records the traceparent it
    // got:
    // from its diagnostics alone that looks like a stripped header (see the module's RATIONALE)
    TestServers.Jdk payments =
        new TestServers.Jdk(
            HttpTracing.newBuilder(capture.service("payments"))
                .propagator(TracewirePropagator.newBuilder().precedence(Format.JAEGER).build())
                .build(),
            "/pay",
            exchange -> TestServers.respond(exchange, 200, "paid"));
    closing.add(payments);
    OpenTelemetry orders = capture.service("orders");
    HttpClient client = HttpTracing.create(orders).wrap(HttpClient.newHttpClient());
    Span checkout = orders.getTracer("test").spanBuilder("checkout").startSpan();
    try (Scope ignored = checkout.makeCurrent()) {
      client.send(get(payments.port(), "/pay"), BodyHandlers.ofString());
    } finally {
      checkout.end();
    }
    capture.awaitSpans(3);

    assertThatThrownBy(
            () ->
                TraceAssert.assertThat(capture.trace(checkout.getSpanContext().getTraceId()))
                    .hasHop("orders", "payments", "http"))
        .hasMessageContaining(
            "hop orders -> payments (http): payments' SERVER span GET /pay started a new trace")
        .hasMessageContaining("while orders injected [tracecontext]");
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }
}
