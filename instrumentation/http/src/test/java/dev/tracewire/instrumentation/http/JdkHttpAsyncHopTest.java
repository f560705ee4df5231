package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hop suite over JDK HttpClient {@code sendAsync} and a chained stage, the client's threads
 * checked for leaked scopes.
 */
class JdkHttpAsyncHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static TestServers.Jdk callee;
  static ExecutorService clientThreads = Executors.newFixedThreadPool(2);
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    callee =
        new TestServers.Jdk(
            HttpTracing.create(capture.service(CALLEE)), "/pay", TestServers::handleHop);
    client =
        HttpTracing.create(capture.service(CALLER))
            .wrap(HttpClient.newBuilder().executor(HopSuite.leakChecked(clientThreads)).build());
  }

  @AfterAll
  static void stop() {
    callee.close();
    clientThreads.shutdownNow();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "http";
  }

  @Override
  protected void send() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + callee.port() + "/pay")).build();
    String body =
        client.sendAsync(request, BodyHandlers.ofString()).thenApply(HttpResponse::body).join();
    assertThat(body).isEqualTo("ok");
  }
}
