package dev.tracewire.extension;

import static dev.tracewire.extension.OtlpReceiver.parentSpanId;
import static dev.tracewire.extension.OtlpReceiver.spanId;
import static dev.tracewire.extension.OtlpReceiver.string;
import static dev.tracewire.extension.OtlpReceiver.strings;
import static dev.tracewire.extension.OtlpReceiver.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link AgentApp} in child JVMs under the real OpenTelemetry javaagent with this module's
 * extension jar and {@code otel.propagators=tracewire}, calls them, and asserts on the spans the
 * agent exports over OTLP: {@code app} with the defaults, {@code edge} with a trust boundary.
 */
class JavaagentIT {
  static final Duration SPAN_TIMEOUT = Duration.ofSeconds(60);
  static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static OtlpReceiver receiver;
  static AgentProcess app;
  static AgentProcess edge;

  @BeforeAll
  static void startAppsUnderAgent() throws Exception {
    receiver = OtlpReceiver.start();
    // both JVMs boot the agent at once; startup dominates this test's time
    app = AgentProcess.start("javaagent-it", receiver.endpoint());
    edge =
        AgentProcess.start(
            "javaagent-it-edge", receiver.endpoint(), "otel.tracewire.trust-boundary=true");
    app.awaitStarted();
    edge.awaitStarted();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (app != null) app.close();
    if (edge != null) edge.close();
    if (receiver != null) receiver.close();
  }

  @Test
  void b3Only_serverSpanContinuesB3Trace() throws Exception {
    String traceId = randomHex(32);
    String spanId = randomHex(16);

    Span server = call(app, "/hello/b3only", "b3", traceId + "-" + spanId + "-1");

    assertThat(traceId(server)).isEqualTo(traceId);
    assertThat(parentSpanId(server)).isEqualTo(spanId);
    assertThat(strings(server, "tracewire.propagation.received")).containsExactly("b3");
    assertThat(string(server, "tracewire.propagation.used")).isEqualTo("b3");
    assertThat(string(server, "tracewire.propagation.remote_parent")).isEqualTo(spanId);
    assertThat(strings(server, "tracewire.propagation.conflict")).isNull();
  }

  @Test
  void b3With64BitTraceId_continuesLeftPaddedTrace() throws Exception {
    String traceId = randomHex(16);
    String spanId = randomHex(16);

    Span server = call(app, "/hello/b3short", "b3", traceId + "-" + spanId + "-1");

    assertThat(traceId(server)).isEqualTo("0000000000000000" + traceId);
    assertThat(parentSpanId(server)).isEqualTo(spanId);
  }

  @Test
  void traceparentConflictingWithB3_traceparentContinues() throws Exception {
    String w3cTrace = randomHex(32);
    String w3cSpan = randomHex(16);
    String b3Trace = randomHex(32);
    String b3Span = randomHex(16);

    Span server =
        call(
            app,
            "/hello/conflict",
            "traceparent",
            "00-" + w3cTrace + "-" + w3cSpan + "-01",
            "b3",
            b3Trace + "-" + b3Span + "-1");

    assertThat(traceId(server)).isEqualTo(w3cTrace);
    assertThat(parentSpanId(server)).isEqualTo(w3cSpan);
    assertThat(strings(server, "tracewire.propagation.received"))
        .containsExactly("tracecontext", "b3");
    assertThat(string(server, "tracewire.propagation.used")).isEqualTo("tracecontext");
    assertThat(strings(server, "tracewire.propagation.conflict")).containsExactly("b3");
  }

  @Test
  void noHeaders_newTraceAndNothingReceived() throws Exception {
    Span server = call(app, "/hello/none");

    assertThat(server.getParentSpanId().isEmpty()).isTrue();
    assertThat(traceId(server)).isNotEqualTo("00000000000000000000000000000000");
    // the propagation module documents received as always present, empty when nothing arrived
    assertThat(strings(server, "tracewire.propagation.received")).isEmpty();
    assertThat(string(server, "tracewire.propagation.used")).isNull();
  }

  @Test
  void outgoingCall_afterB3Arrived_injectsTracecontextAndB3() throws Exception {
    String traceId = randomHex(32);
    String spanId = randomHex(16);

    Span entry = call(app, "/call", "b3", traceId + "-" + spanId + "-1");
    Span exit =
        awaitSpan(
            span ->
                span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && traceId(span).equals(traceId),
            "the JDK HttpClient span of trace " + traceId,
            app);
    Span downstream =
        awaitSpan(
            span ->
                span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
                    && "/hello/downstream".equals(string(span, "url.path"))
                    && traceId(span).equals(traceId),
            "the /hello/downstream server span of trace " + traceId,
            app);

    assertThat(parentSpanId(exit)).isEqualTo(spanId(entry));
    assertThat(strings(exit, "tracewire.propagation.injected")).contains("tracecontext", "b3");
    // The hop to ourselves is intact, and both dialects arrived without disagreeing.
    assertThat(parentSpanId(downstream)).isEqualTo(spanId(exit));
    assertThat(strings(downstream, "tracewire.propagation.received"))
        .contains("tracecontext", "b3");
    assertThat(string(downstream, "tracewire.propagation.used")).isEqualTo("tracecontext");
    assertThat(strings(downstream, "tracewire.propagation.conflict")).isNull();
  }

  @Test
  void trustBoundary_newTraceLinkedToCaller() throws Exception {
    String traceId = randomHex(32);
    String spanId = randomHex(16);

    Span server = call(edge, "/hello/edge", "traceparent", "00-" + traceId + "-" + spanId + "-01");

    assertThat(traceId(server)).isNotEqualTo(traceId);
    assertThat(server.getParentSpanId().isEmpty()).isTrue();
    assertThat(string(server, "tracewire.propagation.used")).isEqualTo("tracecontext");
    assertThat(string(server, "tracewire.propagation.remote_parent")).isEqualTo(spanId);
    assertThat(server.getLinksList())
        .singleElement()
        .satisfies(
            link -> {
              assertThat(OtlpReceiver.hex(link.getTraceId().toByteArray())).isEqualTo(traceId);
              assertThat(OtlpReceiver.hex(link.getSpanId().toByteArray())).isEqualTo(spanId);
            });
  }

  /** Calls {@code path} on the app with the given headers and returns the server span it caused. */
  static Span call(AgentProcess target, String path, String... headers) throws Exception {
    String unique = path + "-" + randomHex(8);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url(unique)));
    if (headers.length > 0) request.headers(headers);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("status of " + unique).isEqualTo(200);
    return awaitSpan(
        span ->
            span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
                && unique.equals(string(span, "url.path")),
        "the server span for " + unique,
        target);
  }

  static Span awaitSpan(Predicate<Span> predicate, String description, AgentProcess target)
      throws InterruptedException {
    return receiver
        .await(predicate, SPAN_TIMEOUT)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no "
                        + description
                        + " was exported within "
                        + SPAN_TIMEOUT
                        + "; spans received:\n"
                        + receiver.summary()
                        + target.name
                        + " output:\n"
                        + target.log()));
  }

  static String randomHex(int length) {
    StringBuilder result = new StringBuilder(length);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (result.length() < length) result.append(Character.forDigit(random.nextInt(16), 16));
    // all-zero ids are invalid in every format
    if (result.chars().allMatch(c -> c == '0')) result.setCharAt(length - 1, '1');
    return result.toString();
  }
}
