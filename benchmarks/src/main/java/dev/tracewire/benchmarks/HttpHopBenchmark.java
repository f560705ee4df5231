package dev.tracewire.benchmarks;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tracewire.instrumentation.http.HttpTracing;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP request on loopback (JDK HttpClient to a JDK HttpServer), per layer in the same run:
 * {@code none} (no tracing), {@code opentelemetry} (the same {@code Instrumenter}-based
 * instrumentation, semconv extractors and spans with OpenTelemetry's W3C trace context + baggage
 * propagators: OpenTelemetry serves no library instrumentation for the JDK client and server, so
 * this is what it would be) and {@code tracewire} ({@code HttpTracing} with the universal
 * propagator and hop diagnostics). Spans are sampled and recorded, then dropped: no exporter.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar HttpHopBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// without TCP_NODELAY on the JDK server, delayed ACKs make every request ~40 ms and hide all else
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class HttpHopBenchmark {
  static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

  @Param({"none", "opentelemetry", "tracewire"})
  public String layer;

  OpenTelemetrySdk sdk;
  ExecutorService serverThreads;
  HttpServer server;
  HttpClient client;
  HttpRequest request;

  @Setup(Level.Trial)
  public void start() throws IOException {
    serverThreads = Executors.newFixedThreadPool(2);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(serverThreads);
    HttpContext context = server.createContext("/pay", HttpHopBenchmark::respond);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    if (!layer.equals("none")) {
      TextMapPropagator propagator =
          layer.equals("opentelemetry")
              ? TextMapPropagator.composite(
                  W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
              : TracewirePropagator.create();
      sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build())
              .setPropagators(ContextPropagators.create(propagator))
              .build();
      HttpTracing tracing = HttpTracing.create(sdk);
      context.getFilters().add(tracing.httpServerFilter());
      client = tracing.wrap(client);
    }
    server.start();
    request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pay"))
            .build();
  }

  static void respond(HttpExchange exchange) throws IOException {
    exchange.sendResponseHeaders(200, BODY.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(BODY);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
    if (sdk != null) sdk.close();
  }

  @Benchmark
  public int request() throws Exception {
    return client.send(request, BodyHandlers.discarding()).statusCode();
  }
}
