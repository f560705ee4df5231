package dev.tracewire.instrumentation.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceCapture;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hop suite over JDK HttpClient to a servlet behind the tracing filter in embedded Jetty. */
class ServletHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static TestServers.Jetty callee;
  static HttpClient client;

  static final class PayServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      HopSuite.calleeHandled();
      response.setContentType("text/plain");
      response.getWriter().write("ok");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    callee =
        new TestServers.Jetty(
            HttpTracing.create(capture.service(CALLEE)), "/pay", new PayServlet());
    client = HttpTracing.create(capture.service(CALLER)).wrap(HttpClient.newHttpClient());
  }

  @AfterAll
  static void stop() throws Exception {
    callee.close();
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
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + callee.port() + "/pay")).build();
    assertThat(client.send(request, BodyHandlers.ofString()).body()).isEqualTo("ok");
  }
}
