package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The servlet filter in embedded Jetty: async requests, exceptions, routes. */
class ServletTracingTest {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

  TestServers.Jetty jetty;

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) jetty.close();
  }

  HttpResponse<String> call(String path) throws Exception {
    OpenTelemetry orders = capture.service("orders");
    HttpClient client = HttpTracing.create(orders).wrap(HttpClient.newHttpClient());
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + jetty.port() + path)).build(),
        BodyHandlers.ofString());
  }

  static SpanData server(List<SpanData> spans) {
    List<SpanData> servers = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).toList();
    assertThat(servers).hasSize(1);
    return servers.get(0);
  }

  @Test
  void asyncServlet_spanEndsWhenTheRequestCompletes_inTheCallersTrace() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean endedEarly = new AtomicBoolean(true);
    jetty =
        new TestServers.Jetty(
            HttpTracing.create(capture.service("payments")),
            "/pay/*",
            new HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                AsyncContext async = request.startAsync();
                async.start(
                    () -> {
                      try {
                        release.await(10, TimeUnit.SECONDS);
                        response.setStatus(202);
                        response.getWriter().write("later");
                      } catch (InterruptedException | IOException e) {
                        response.setStatus(500);
                      } finally {
                        async.complete();
                      }
                    });
              }
            });
    OpenTelemetry orders = capture.service("orders");
    Span checkout = orders.getTracer("test").spanBuilder("checkout").startSpan();
    HttpResponse<String> response;
    try (Scope ignored = checkout.makeCurrent()) {
      // the servlet has returned but the request is not complete: no SERVER span may end yet
      Thread releaser =
          new Thread(
              () -> {
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                endedEarly.set(
                    capture.spans().stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
                release.countDown();
              });
      releaser.start();
      response = call("/pay/7");
      releaser.join();
    } finally {
      checkout.end();
    }

    assertThat(endedEarly).as("a SERVER span ended before the async request completed").isFalse();
    assertThat(response.statusCode()).isEqualTo(202);
    String traceId = checkout.getSpanContext().getTraceId();
    SpanData server = server(capture.awaitTrace(traceId, 3).spans());
    assertThat(server.getName()).isEqualTo("GET /pay/*");
    assertThat(server.getAttributes().get(ROUTE)).isEqualTo("/pay/*");
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(202L);
    TraceAssert.assertThat(capture.trace(traceId))
        .isUnbroken()
        .hasHop("orders", "payments", "http");
  }

  @Test
  void asyncServlet_completedOnAnotherThreadAtOnce_spanEnds() throws Exception {
    jetty =
        new TestServers.Jetty(
            HttpTracing.create(capture.service("payments")),
            "/pay",
            new HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                AsyncContext async = request.startAsync();
                async.start(async::complete);
              }
            });

    for (int i = 0; i < 20; i++) call("/pay");

    List<SpanData> spans = capture.awaitSpans(40);
    assertThat(spans.stream().filter(s -> s.getKind() == SpanKind.SERVER)).hasSize(20);
  }

  @Test
  void servletThrows_spanRecordsTheErrorAs500() throws Exception {
    jetty =
        new TestServers.Jetty(
            HttpTracing.create(capture.service("payments")),
            "/pay",
            new HttpServlet() {
              private static final long serialVersionUID = 1L;

              @Override
              protected void doGet(HttpServletRequest request, HttpServletResponse response)
                  throws ServletException {
                throw new ServletException("card declined");
              }
            });

    assertThat(call("/pay").statusCode()).isEqualTo(500);

    SpanData server = server(capture.awaitSpans(2));
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(server.getAttributes().get(STATUS)).isEqualTo(500L);
    assertThat(server.getEvents()).anyMatch(e -> e.getName().equals("exception"));
  }
}
