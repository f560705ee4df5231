package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hop suite through a real nginx reverse proxy between the two services. */
class NginxHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static TestServers.Jdk callee;
  static Nginx nginx;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    callee =
        new TestServers.Jdk(
            HttpTracing.create(capture.service(CALLEE)), "/pay", TestServers::handleHop);
    nginx = Nginx.passThrough(callee.port());
    client =
        HttpTracing.create(capture.service(CALLER))
            .wrap(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) nginx.close();
    if (callee != null) callee.close();
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
  protected void send() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + "/pay")).build();
    assertThat(client.send(request, BodyHandlers.ofString()).body()).isEqualTo("ok");
  }
}
