package dev.tracewire.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracewire.propagation.HopDiagnostics;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A test peer: answers every request with the trace headers that reached it and what the universal
 * propagator extracted, and continues the trace to the URLs a POST body lists (the protocol of the
 * W3C trace-context test harness).
 */
final class EchoServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EchoServer.class.getName());
  static final int MAX_BODY_BYTES = 1 << 20;
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final HttpServer server;
  private final ExecutorService executor;
  private final TextMapPropagator propagator;
  private final HttpClient client;

  private EchoServer(HttpServer server, ExecutorService executor, TextMapPropagator propagator) {
    this.server = server;
    this.executor = executor;
    this.propagator = propagator;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with simple peers
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Binds {@code address} (port 0 picks a free one) and starts answering. */
  static EchoServer start(InetSocketAddress address, TextMapPropagator propagator)
      throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    // a pool, not the dispatcher thread: an echo calling itself must not wait on itself
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "tracewire-echo-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    EchoServer echo = new EchoServer(server, executor, propagator);
    server.createContext("/", echo::handle);
    server.setExecutor(executor);
    server.start();
    return echo;
  }

  /** Returns the base URI this server answers on, e.g. {@code http://127.0.0.1:43123/}. */
  URI uri() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) host = "[" + host + "]";
    return URI.create("http://" + host + ":" + address.getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      try {
        respond(exchange);
      } catch (IOException e) {
        LOG.log(Level.FINE, "client went away", e);
      } catch (RuntimeException e) {
        // never let a bad request take a thread's answer down with it
        LOG.log(Level.WARNING, "answering " + exchange.getRequestURI(), e);
        send(exchange, 500, error("internal error: " + e));
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "could not answer", e);
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      send(exchange, 413, error("body over " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    List<Call> calls;
    try {
      calls = "POST".equals(exchange.getRequestMethod()) ? Call.parseAll(body) : List.of();
    } catch (IllegalArgumentException e) {
      send(exchange, 400, error(e.getMessage()));
      return;
    }

    HeaderLines headers = HeaderLines.of(exchange.getRequestHeaders());
    Context extracted = propagator.extract(Context.root(), headers, HeaderLines.GETTER);

    ObjectNode answer = JSON.createObjectNode();
    ObjectNode request = answer.putObject("request");
    request.put("method", exchange.getRequestMethod());
    request.put("path", exchange.getRequestURI().toString());
    request.set("headers", headersJson(headers));
    answer.setAll(
        Explanation.describe(
            HopDiagnostics.fromContext(extracted),
            extracted,
            Downstream.inject(propagator, Downstream.clientContext(extracted))));
    if (!calls.isEmpty()) {
      ArrayNode results = answer.putArray("calls");
      for (Call call : calls) results.add(call(call, extracted));
    }
    send(exchange, 200, answer);
  }

  /**
   * POSTs {@code json(arguments)} to the call's URL as a new client span of the extracted trace.
   */
  private ObjectNode call(Call call, Context extracted) {
    ObjectNode result = JSON.createObjectNode();
    result.put("url", call.url.toString());
    Map<String, String> injected =
        Downstream.inject(propagator, Downstream.clientContext(extracted));
    ObjectNode sent = result.putObject("headers");
    injected.forEach(sent::put);
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(call.url)
              .timeout(CALL_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
      injected.forEach(request::header);
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      result.put("status", response.statusCode());
    } catch (IOException | IllegalArgumentException e) {
      result.put("error", String.valueOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.put("error", "interrupted");
    }
    return result;
  }

  private static ObjectNode headersJson(HeaderLines headers) {
    Map<String, ArrayNode> byName = new TreeMap<>();
    for (int i = 0; i < headers.size(); i++) {
      byName
          .computeIfAbsent(headers.name(i).toLowerCase(Locale.ROOT), n -> JSON.createArrayNode())
          .add(headers.value(i));
    }
    ObjectNode node = JSON.createObjectNode();
    byName.forEach(node::set);
    return node;
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Explanation.json(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** One element of a POST body: where to call onward and the body to send there. */
  static final class Call {
    final URI url;
    final JsonNode arguments;

    private Call(URI url, JsonNode arguments) {
      this.url = url;
      this.arguments = arguments;
    }

    byte[] body() {
      try {
        return JSON.writeValueAsBytes(arguments);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a parsed tree always serializes", e);
      }
    }

    /**
     * Reads a body that is empty or a JSON array of {@code {"url": ..., "arguments": ...}}.
     *
     * @throws IllegalArgumentException saying what is wrong with the body
     */
    static List<Call> parseAll(byte[] body) {
      if (isBlank(body)) return List.of();
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (JsonProcessingException e) {
        String where =
            e.getLocation() != null
                ? " at line "
                    + e.getLocation().getLineNr()
                    + " column "
                    + e.getLocation().getColumnNr()
                : "";
        throw new IllegalArgumentException(
            "body is not JSON" + where + ": " + e.getOriginalMessage());
      } catch (IOException e) {
        throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
      }
      if (!root.isArray()) {
        throw new IllegalArgumentException(
            "body is a JSON "
                + root.getNodeType().name().toLowerCase(Locale.ROOT)
                + " (expected: an array of {\"url\": ..., \"arguments\": ...})");
      }
      List<Call> calls = new ArrayList<>(root.size());
      for (int i = 0; i < root.size(); i++) {
        JsonNode element = root.get(i);
        JsonNode url = element.get("url");
        if (!element.isObject() || url == null || !url.isTextual()) {
          throw new IllegalArgumentException(
              "body["
                  + i
                  + "]: "
                  + element
                  + " (expected: {\"url\": \"http://...\", \"arguments\": ...})");
        }
        URI uri;
        try {
          uri = new URI(url.asText());
        } catch (URISyntaxException e) {
          throw new IllegalArgumentException("body[" + i + "].url: " + e.getMessage());
        }
        String scheme = uri.getScheme() != null ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "body["
                  + i
                  + "].url: "
                  + url.asText()
                  + " (expected: an absolute http or https URL)");
        }
        JsonNode arguments = element.get("arguments");
        calls.add(new Call(uri, arguments != null ? arguments : JSON.createArrayNode()));
      }
      return calls;
    }

    private static boolean isBlank(byte[] body) {
      for (byte b : body) {
        if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
      }
      return true;
    }
  }
}
