package dev.tracewire.instrumentation.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A JDK HttpServer filter that runs each exchange in a SERVER span continuing the caller's. */
final class TracingHttpServerFilter extends Filter {

  static Instrumenter<HttpExchange, HttpExchange> instrumenter(HttpTracing tracing) {
    JdkServerAttributesGetter getter = JdkServerAttributesGetter.INSTANCE;
    return Instrumenter.<HttpExchange, HttpExchange>builder(
            tracing.openTelemetry,
            HttpTracing.INSTRUMENTATION_NAME,
            HttpSpanNameExtractor.create(getter))
        .setSpanStatusExtractor(HttpSpanStatusExtractor.create(getter))
        .addAttributesExtractor(
            HttpServerAttributesExtractor.builder(getter)
                .setRequestHeaders(tracing.capturedRequestHeaders)
                .setResponseHeaders(tracing.capturedResponseHeaders)
                .build())
        .addAttributesExtractor(HopDiagnosticsExtractor.create())
        // we extract ourselves, so a propagator set on HttpTracing is the one that reads
        .buildInstrumenter(SpanKindExtractor.alwaysServer());
  }

  enum ExchangeGetter implements TextMapGetter<HttpExchange> {
    INSTANCE;

    @SuppressWarnings("deprecation") // still how Jaeger's uberctx-* headers are found
    @Override
    public Iterable<String> keys(HttpExchange carrier) {
      // Headers capitalises its keys; propagators look for lower-case prefixes such as uberctx-
      List<String> keys = new ArrayList<>();
      for (String key : carrier.getRequestHeaders().keySet())
        keys.add(key.toLowerCase(Locale.ROOT));
      return keys;
    }

    @Override
    public String get(HttpExchange carrier, String key) {
      return carrier == null ? null : carrier.getRequestHeaders().getFirst(key);
    }
  }

  private final Instrumenter<HttpExchange, HttpExchange> instrumenter;
  private final TextMapPropagator propagator;

  TracingHttpServerFilter(
      Instrumenter<HttpExchange, HttpExchange> instrumenter, TextMapPropagator propagator) {
    this.instrumenter = instrumenter;
    this.propagator = propagator;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    Context parent = propagator.extract(Context.current(), exchange, ExchangeGetter.INSTANCE);
    if (!instrumenter.shouldStart(parent, exchange)) {
      chain.doFilter(exchange);
      return;
    }
    Context context = instrumenter.start(parent, exchange);
    Throwable error = null;
    try (Scope ignored = context.makeCurrent()) {
      chain.doFilter(exchange);
    } catch (Throwable t) {
      error = t;
      throw t;
    } finally {
      instrumenter.end(context, exchange, exchange, error);
    }
  }

  @Override
  public String description() {
    return "Tracewire: runs each exchange in a SERVER span continuing the caller's trace";
  }
}
