package dev.tracewire.instrumentation.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.config.IncludeExclude;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP tracing for one service: hands out a traced JDK {@link HttpClient}, a JDK HttpServer {@link
 * Filter} and a Jakarta Servlet filter. Exit spans record the formats they injected, entry spans
 * what arrived ({@code tracewire.propagation.*}), and both sides capture {@code x-request-id}.
 *
 * <pre>{@code
 * HttpTracing tracing = HttpTracing.create(openTelemetry);
 * HttpClient client = tracing.wrap(HttpClient.newHttpClient());
 * server.createContext("/pay", handler).getFilters().add(tracing.httpServerFilter());
 * servletContext.addFilter("tracing", tracing.servletFilter()).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 */
public final class HttpTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.instrumentation.http";
  static final String REQUEST_ID = "x-request-id";

  /** Returns tracing with {@code openTelemetry}'s propagator and default options. */
  public static HttpTracing create(OpenTelemetry openTelemetry) {
    return newBuilder(openTelemetry).build();
  }

  /** Returns a builder for options. */
  public static Builder newBuilder(OpenTelemetry openTelemetry) {
    if (openTelemetry == null) throw new NullPointerException("openTelemetry == null");
    return new Builder(openTelemetry);
  }

  final OpenTelemetry openTelemetry;
  final TextMapPropagator propagator;
  final IncludeExclude capturedRequestHeaders;
  final IncludeExclude capturedResponseHeaders;
  private final Instrumenter<HttpRequest, HttpResponse<?>> clientInstrumenter;
  private final Instrumenter<HttpExchange, HttpExchange> httpServerInstrumenter;

  private HttpTracing(Builder builder) {
    this.openTelemetry = builder.openTelemetry;
    this.propagator =
        builder.propagator != null
            ? builder.propagator
            : openTelemetry.getPropagators().getTextMapPropagator();
    this.capturedRequestHeaders =
        IncludeExclude.builder().setIncluded(builder.capturedRequestHeaders).build();
    this.capturedResponseHeaders =
        IncludeExclude.builder().setIncluded(builder.capturedResponseHeaders).build();
    this.clientInstrumenter = TracingHttpClient.instrumenter(this);
    this.httpServerInstrumenter = TracingHttpServerFilter.instrumenter(this);
  }

  /**
   * Returns {@code client} traced: {@code send} and {@code sendAsync} run in a CLIENT span whose
   * context is injected into the request; futures complete in the caller's context.
   */
  public HttpClient wrap(HttpClient client) {
    if (client == null) throw new NullPointerException("client == null");
    if (client instanceof TracingHttpClient) return client;
    return new TracingHttpClient(client, clientInstrumenter, propagator);
  }

  /**
   * Returns a JDK HttpServer filter that extracts the caller's context and runs the exchange in a
   * SERVER span; add it to each {@code HttpContext}'s filters.
   */
  public Filter httpServerFilter() {
    return new TracingHttpServerFilter(httpServerInstrumenter, propagator);
  }

  /**
   * Returns a Jakarta Servlet filter that extracts the caller's context and runs the request in a
   * SERVER span, ended when the response completes (also for async requests).
   */
  public jakarta.servlet.Filter servletFilter() {
    return TracingServletFilter.create(this);
  }

  @Override
  public String toString() {
    return "HttpTracing{propagator=" + propagator + "}";
  }

  /** Options of {@link HttpTracing}. */
  public static final class Builder {
    final OpenTelemetry openTelemetry;
    TextMapPropagator propagator;
    final List<String> capturedRequestHeaders = new ArrayList<>(List.of(REQUEST_ID));
    final List<String> capturedResponseHeaders = new ArrayList<>();

    Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * The propagator for HTTP headers; default {@code openTelemetry.getPropagators()}'s. Behind a
     * mesh whose proxies trace in B3 (Envoy's Zipkin tracer, Istio), also write B3 multi:
     *
     * <pre>{@code
     * HttpTracing.newBuilder(openTelemetry)
     *     .propagator(TracewirePropagator.newBuilder()
     *         .inject(Format.TRACECONTEXT, Format.BAGGAGE, Format.B3_MULTI, Format.REQUEST_ID)
     *         .build())
     *     .build();
     * }</pre>
     *
     * Hop diagnostics are recorded only with a {@link TracewirePropagator}.
     */
    public Builder propagator(TextMapPropagator propagator) {
      if (propagator == null) throw new NullPointerException("propagator == null");
      this.propagator = propagator;
      return this;
    }

    /**
     * Request headers recorded as {@code http.request.header.<name>} on both sides, in addition to
     * {@code x-request-id}, which is always recorded.
     */
    public Builder captureRequestHeaders(String... names) {
      for (String name : names) {
        String lower = checkName(name);
        if (!capturedRequestHeaders.contains(lower)) capturedRequestHeaders.add(lower);
      }
      return this;
    }

    /** Response headers recorded as {@code http.response.header.<name>} on both sides. */
    public Builder captureResponseHeaders(String... names) {
      for (String name : names) {
        String lower = checkName(name);
        if (!capturedResponseHeaders.contains(lower)) capturedResponseHeaders.add(lower);
      }
      return this;
    }

    private static String checkName(String name) {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("header name: " + name + " (expected: not empty)");
      }
      return name.toLowerCase(Locale.ROOT);
    }

    /** Returns the tracing. */
    public HttpTracing build() {
      return new HttpTracing(this);
    }
  }
}
