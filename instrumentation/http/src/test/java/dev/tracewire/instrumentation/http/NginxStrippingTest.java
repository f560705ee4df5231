package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.testing.CapturedTrace;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * nginx configured to drop the trace headers: the callee's diagnostics show it received nothing
 * while the caller's show what it injected, which is how the server blames the path.
 */
class NginxStrippingTest {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static final Map<String, String> calleeSaw = new ConcurrentHashMap<>();
  static TestServers.Jdk callee;
  static Nginx nginx;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    callee =
        new TestServers.Jdk(
            HttpTracing.create(capture.service("payments")),
            "/pay",
            exchange -> {
              exchange
                  .getRequestHeaders()
                  .forEach((k, v) -> calleeSaw.put(k.toLowerCase(), v.get(0)));
              TestServers.respond(exchange, 200, "ok");
            });
    nginx = Nginx.stripping(callee.port());
    client =
        HttpTracing.create(capture.service("orders"))
            .wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) nginx.close();
    if (callee != null) callee.close();
  }

  @Test
  void strippingProxy_calleeReceivedNothing_callerInjected() throws Exception {
    calleeSaw.clear();
    OpenTelemetry orders = capture.service("orders");
    Span checkout = orders.getTracer("test").spanBuilder("checkout").startSpan();
    try (Scope ignored =
        Context.root()
            .with(checkout)
            .with(Baggage.builder().put("tenant", "acme").build())
            .makeCurrent()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/pay")).build();
      assertThat(client.send(request, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      checkout.end();
    }
    String traceId = checkout.getSpanContext().getTraceId();
    List<SpanData> spans =
        capture.awaitSpan(
            s -> s.getKind() == SpanKind.SERVER, "payments' SERVER span behind the proxy");
    CapturedTrace trace = capture.awaitTrace(traceId, 2);

    SpanData exit = only(trace.spans(), SpanKind.CLIENT);
    SpanData entry = only(spans, SpanKind.SERVER);
    assertThat(calleeSaw).doesNotContainKeys("traceparent", "baggage");
    assertThat(exit.getAttributes().get(HopAttributes.INJECTED))
        .containsExactly("tracecontext", "baggage");
    assertThat(entry.getAttributes().get(HopAttributes.RECEIVED)).isEmpty();
    assertThat(entry.getAttributes().get(HopAttributes.USED)).isNull();
    assertThat(entry.getAttributes().get(HopAttributes.REMOTE_PARENT)).isNull();
    assertThat(entry.getTraceId()).isNotEqualTo(traceId);
    assertThat(entry.getParentSpanContext().isValid()).isFalse();

    assertThatThrownBy(() -> TraceAssert.assertThat(trace).isUnbroken())
        .hasMessageContaining(
            "hop orders -> payments (http): payments' SERVER span GET /pay started a new trace;"
                + " it received [] while orders injected [tracecontext, baggage]")
        .hasMessageContaining("context_stripped");
  }

  private static SpanData only(List<SpanData> spans, SpanKind kind) {
    List<SpanData> matching = spans.stream().filter(s -> s.getKind() == kind).toList();
    assertThat(matching).as("%s spans", kind).hasSize(1);
    return matching.get(0);
  }
}
