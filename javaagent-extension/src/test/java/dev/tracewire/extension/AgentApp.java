package dev.tracewire.extension;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The application {@link JavaagentIT} runs under the OpenTelemetry javaagent: a JDK HTTP server
 * (agent-instrumented) whose {@code /call} endpoint calls {@code /hello/downstream} on itself with
 * the JDK HttpClient (agent-instrumented). Uses nothing but the JDK, like an uninstrumented app.
 */
final class AgentApp {
  public static void main(String[] args) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    int port = server.getAddress().getPort();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    server.createContext("/hello", exchange -> respond(exchange, 200, "hello"));
    server.createContext(
        "/call",
        exchange -> {
          HttpRequest downstream =
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello/downstream"))
                  .build();
          try {
            HttpResponse<String> response =
                client.send(downstream, HttpResponse.BodyHandlers.ofString());
            respond(exchange, response.statusCode(), response.body());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 500, e.toString());
          }
        });
    // /call re-enters this server, so one thread would deadlock
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("LISTENING " + port);
    System.out.flush();
    // Runs until the test closes our stdin (or dies), so a failed test never leaks this process.
    while (System.in.read() != -1) {}
    server.stop(0);
    System.exit(0);
  }

  static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private AgentApp() {}
}
