package dev.tracewire.instrumentation.cloudevents;

import com.sun.net.httpserver.HttpServer;
import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared hop suite for an event sent over plain HTTP (JDK HttpClient to a JDK HttpServer): the
 * HTTP request carries no trace headers of its own, only the event's tracing extension, so the hop
 * holds only if the extension survives the binding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpEventHopSuite extends HopSuite {
  static TraceCapture newCapture() {
    return TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();
  }

  HttpServer server;
  ExecutorService executor;
  HttpClient client;
  CloudEventsTracing callerTracing;
  URI uri;

  /** Whether events travel in structured mode (JSON body) rather than binary mode (headers). */
  abstract boolean structured();

  @BeforeAll
  void start() throws Exception {
    callerTracing = CloudEventsTracing.create(capture().service(CALLER));
    CloudEventsTracing calleeTracing = CloudEventsTracing.create(capture().service(CALLEE));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/events",
        exchange -> {
          Map<String, String> headers = new HashMap<>();
          for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            headers.put(
                header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue().get(0));
          }
          byte[] body = exchange.getRequestBody().readAllBytes();
          CloudEvent event = HttpMessageFactory.createReader(headers, body).toEvent();
          calleeTracing.process(event, e -> calleeHandled());
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    executor = Executors.newSingleThreadExecutor();
    server.setExecutor(leakChecked(executor));
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  void stop() {
    if (server != null) server.stop(0);
    if (executor != null) executor.shutdownNow();
  }

  @Override
  protected String transport() {
    return "messaging";
  }

  static CloudEvent orderPlaced() {
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("/orders"))
        .withType("com.example.order.placed")
        .withDataContentType("application/json")
        .withData("{\"order\":1}".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Override
  protected void send() throws Exception {
    CloudEvent event = callerTracing.inject(orderPlaced());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    var writer =
        HttpMessageFactory.createWriter(
            request::header, body -> request.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    if (structured()) {
      writer.writeStructured(event, new JsonFormat());
    } else {
      writer.writeBinary(event);
    }
    HttpResponse<Void> response =
        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 202) {
      throw new AssertionError("the event endpoint answered " + response.statusCode());
    }
  }
}
