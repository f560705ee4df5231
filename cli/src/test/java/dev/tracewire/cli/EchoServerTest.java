package dev.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tracewire.propagation.TracewirePropagator;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP on loopback: echo servers, a recording sink, and the JDK client. */
class EchoServerTest {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<AutoCloseable> closeables = new ArrayList<>();
  Sink sink;

  @BeforeEach
  void startSink() throws IOException {
    sink = Sink.start();
    closeables.add(sink);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) c.close();
  }

  EchoServer echo() throws IOException {
    EchoServer echo =
        EchoServer.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            TracewirePropagator.create());
    closeables.add(echo);
    return echo;
  }

  @Test
  void get_describesTheTraceHeadersThatArrived() throws Exception {
    EchoServer echo = echo();

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(echo.uri().resolve("/any/path?q=1"))
                .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01")
                .header("tracestate", "congo=t61rcWkgMzE")
                .header("baggage", "tenant=acme")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    JsonNode json = Explanation.JSON.readTree(response.body());
    assertThat(json.path("request").path("method").asText()).isEqualTo("GET");
    assertThat(json.path("request").path("path").asText()).isEqualTo("/any/path?q=1");
    assertThat(json.path("request").path("headers").path("tracestate").get(0).asText())
        .isEqualTo("congo=t61rcWkgMzE");
    assertThat(json.path("used").asText()).isEqualTo("tracecontext");
    assertThat(HeadersCommandTest.format(json, "tracecontext").path("traceId").asText())
        .isEqualTo(TRACE_ID);
    assertThat(json.path("baggage").path("tenant").asText()).isEqualTo("acme");
    assertThat(json.path("downstream").path("headers").path("traceparent").asText())
        .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
    assertThat(json.has("calls")).isFalse();
    assertThat(sink.requests).isEmpty();
  }

  @Test
  void post_chainEchoToEcho_newSpanIdPerCall_sameTrace_tracestateForwarded() throws Exception {
    EchoServer first = echo();
    EchoServer second = echo();
    String instructions =
        "[{\"url\": \""
            + second.uri()
            + "b\", \"arguments\": [{\"url\": \""
            + sink.uri("from-second")
            + "\", \"arguments\": []}]},"
            + " {\"url\": \""
            + sink.uri("from-first")
            + "\", \"arguments\": {\"k\": 1}}]";

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(first.uri().resolve("/a"))
                .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01")
                .header("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
                .POST(HttpRequest.BodyPublishers.ofString(instructions))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode calls = Explanation.JSON.readTree(response.body()).path("calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).path("status").asInt()).isEqualTo(200);
    assertThat(calls.get(1).path("status").asInt()).isEqualTo(200);

    // both calls answered before first replied, so the sink already holds both requests
    Sink.Request viaSecond = sink.take("from-second");
    Sink.Request direct = sink.take("from-first");
    String firstToSecond = calls.get(0).path("headers").path("traceparent").asText();
    String secondToSink = viaSecond.header("traceparent");
    String firstToSink = direct.header("traceparent");
    assertThat(List.of(firstToSecond, secondToSink, firstToSink))
        .allSatisfy(tp -> assertThat(tp).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));
    assertThat(
            List.of(
                PARENT_ID,
                HeadersCommandTest.spanId(firstToSecond),
                HeadersCommandTest.spanId(secondToSink),
                HeadersCommandTest.spanId(firstToSink)))
        .doesNotHaveDuplicates();
    assertThat(firstToSink).isEqualTo(calls.get(1).path("headers").path("traceparent").asText());
    assertThat(viaSecond.header("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    assertThat(direct.header("tracestate")).isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    assertThat(viaSecond.body).isEqualTo("[]");
    assertThat(Explanation.JSON.readTree(direct.body))
        .isEqualTo(Explanation.JSON.readTree("{\"k\":1}"));
  }

  @Test
  void post_unsampledTrace_staysUnsampledDownstream() throws Exception {
    EchoServer echo = echo();

    post(
        echo.uri(),
        "00-" + TRACE_ID + "-" + PARENT_ID + "-00",
        "[{\"url\": \"" + sink.uri("x") + "\", \"arguments\": []}]");

    assertThat(sink.take("x").header("traceparent")).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-00");
  }

  @Test
  void post_callToItself_doesNotDeadlock() throws Exception {
    EchoServer echo = echo();
    String instructions =
        "[{\"url\": \""
            + echo.uri()
            + "again\", \"arguments\": [{\"url\": \""
            + sink.uri("end")
            + "\", \"arguments\": []}]}]";

    HttpResponse<String> response =
        post(echo.uri(), "00-" + TRACE_ID + "-" + PARENT_ID + "-01", instructions);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(sink.take("end").header("traceparent")).contains(TRACE_ID);
  }

  @Test
  void post_badJson_is400WithAMessage_andCallsNothing() throws Exception {
    EchoServer echo = echo();

    HttpResponse<String> response =
        post(echo.uri(), null, "[{\"url\": \"" + sink.uri("never") + "\", ");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Explanation.JSON.readTree(response.body()).path("error").asText())
        .startsWith("body is not JSON at line 1");
    assertThat(sink.requests).isEmpty();
  }

  @Test
  void post_jsonThatIsNotAnArrayOfCalls_is400() throws Exception {
    EchoServer echo = echo();

    assertThat(error(post(echo.uri(), null, "{\"url\": \"http://127.0.0.1:1/\"}")))
        .startsWith("body is a JSON object (expected: an array of");
    assertThat(error(post(echo.uri(), null, "[{\"arguments\": []}]"))).startsWith("body[0]:");
    assertThat(error(post(echo.uri(), null, "[{\"url\": \"/relative\"}]")))
        .startsWith("body[0].url: /relative (expected: an absolute http or https URL)");
    assertThat(error(post(echo.uri(), null, "[] []"))).startsWith("body is not JSON");
    assertThat(sink.requests).isEmpty();
  }

  @Test
  void post_unreachablePeer_isReportedPerCall() throws Exception {
    EchoServer echo = echo();
    URI closed;
    try (Sink gone = Sink.start()) {
      closed = gone.uri("gone");
    }

    HttpResponse<String> response =
        post(
            echo.uri(),
            "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
            "[{\"url\": \"" + closed + "\"}, {\"url\": \"" + sink.uri("ok") + "\"}]");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode calls = Explanation.JSON.readTree(response.body()).path("calls");
    assertThat(calls.get(0).path("error").asText()).contains("ConnectException");
    assertThat(calls.get(1).path("status").asInt()).isEqualTo(200);
    assertThat(sink.take("ok").header("traceparent")).contains(TRACE_ID);
  }

  @Test
  void post_emptyBody_isJustAnEcho() throws Exception {
    EchoServer echo = echo();

    HttpResponse<String> response = post(echo.uri(), null, "");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Explanation.JSON.readTree(response.body()).path("formats")).isEmpty();
  }

  @Test
  void echoCommand_portZero_printsTheBoundAddress() throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    Thread command =
        new Thread(
            () ->
                Tracewire.commandLine(
                        InputStream.nullInputStream(),
                        new java.io.PrintWriter(out, true),
                        new java.io.PrintWriter(err, true))
                    .execute("echo", "--port", "0"));
    command.start();
    try {
      String line = awaitLine(out);
      assertThat(line).matches("tracewire echo listening on http://127\\.0\\.0\\.1:[0-9]+");
      URI uri = URI.create(line.substring(line.indexOf("http")) + "/");
      assertThat(
              client
                  .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    } finally {
      command.interrupt();
      command.join(TimeUnit.SECONDS.toMillis(10));
    }
    assertThat(command.isAlive()).isFalse();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void echoCommand_portOutOfRange_exits2() {
    Cli run = Cli.run("", "echo", "--port", "70000");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err.lines())
        .containsExactly("tracewire echo: --port: 70000 (expected: 0..65535)");
  }

  @Test
  void echoCommand_withoutPort_exits2WithOneLine() {
    Cli run = Cli.run("", "echo");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err.lines())
        .containsExactly(
            "tracewire echo: Missing required option: '--port=PORT' (see: tracewire echo --help)");
  }

  static String awaitLine(java.io.StringWriter out) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      String s = out.toString();
      if (s.contains("\n")) return s.substring(0, s.indexOf('\n'));
      Thread.sleep(20);
    }
    throw new AssertionError("echo printed no listening line in 10s: " + out);
  }

  HttpResponse<String> post(URI uri, String traceparent, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    if (traceparent != null) request.header("traceparent", traceparent);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return Explanation.JSON.readTree(response.body()).path("error").asText();
  }

  /** A peer that records what reaches it. */
  static final class Sink implements AutoCloseable {
    final HttpServer server;
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

    private Sink(HttpServer server) {
      this.server = server;
    }

    static Sink start() throws IOException {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Sink sink = new Sink(server);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              String body;
              try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
              }
              sink.requests.add(
                  new Request(
                      exchange.getRequestURI().getPath().substring(1),
                      HeaderLines.of(exchange.getRequestHeaders()),
                      body));
              exchange.sendResponseHeaders(200, -1);
            }
          });
      server.start();
      return sink;
    }

    URI uri(String name) {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    /** Returns the request that reached {@code /name}; calls are done before the echo answers. */
    Request take(String name) {
      for (Request r : requests) {
        if (r.name.equals(name)) return r;
      }
      throw new AssertionError("nothing reached /" + name + "; got " + requests);
    }

    @Override
    public void close() {
      server.stop(0);
    }

    static final class Request {
      final String name;
      final HeaderLines headers;
      final String body;

      Request(String name, HeaderLines headers, String body) {
        this.name = name;
        this.headers = headers;
        this.body = body;
      }

      String header(String name) {
        List<String> values = headers.all(name);
        assertThat(values).as("exactly one " + name + " header").hasSize(1);
        return values.get(0);
      }

      @Override
      public String toString() {
        return "/" + name;
      }
    }
  }
}
