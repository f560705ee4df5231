package dev.tracewire.instrumentation.http;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Jakarta Servlet filter that runs each request in a SERVER span continuing the caller's; an
 * async request's span ends when it completes.
 */
final class TracingServletFilter implements Filter {

  /**
   * Returns the filter as {@link Filter}: {@link HttpTracing} then names no class of ours that
   * implements the servlet API, so the verifier loads none of it for users without servlets.
   */
  static Filter create(HttpTracing tracing) {
    ServletAttributesGetter getter = ServletAttributesGetter.INSTANCE;
    Instrumenter<HttpServletRequest, HttpServletResponse> instrumenter =
        Instrumenter.<HttpServletRequest, HttpServletResponse>builder(
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
            .buildInstrumenter(SpanKindExtractor.alwaysServer());
    return new TracingServletFilter(instrumenter, tracing.propagator);
  }

  enum RequestGetter implements TextMapGetter<HttpServletRequest> {
    INSTANCE;

    @SuppressWarnings("deprecation") // still how Jaeger's uberctx-* headers are found
    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
      return Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
      return carrier == null ? null : carrier.getHeader(key);
    }
  }

  private final Instrumenter<HttpServletRequest, HttpServletResponse> instrumenter;
  private final TextMapPropagator propagator;

  private TracingServletFilter(
      Instrumenter<HttpServletRequest, HttpServletResponse> instrumenter,
      TextMapPropagator propagator) {
    this.instrumenter = instrumenter;
    this.propagator = propagator;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Context parent = propagator.extract(Context.current(), request, RequestGetter.INSTANCE);
    // a forward or include inside a traced request: its SERVER span is already current
    if (!instrumenter.shouldStart(parent, request)) {
      chain.doFilter(request, response);
      return;
    }
    Context context = instrumenter.start(parent, request);
    Throwable error = null;
    try (Scope ignored = context.makeCurrent()) {
      chain.doFilter(request, response);
    } catch (Throwable t) {
      error = t;
      throw t;
    } finally {
      // safe to listen only now: a complete() called during this dispatch takes effect after it
      // returns (Servlet spec, AsyncContext.complete), and isAsyncStarted() is false once called
      if (error == null && request.isAsyncStarted()) {
        request
            .getAsyncContext()
            .addListener(new EndOnCompletion(instrumenter, context), request, response);
      } else {
        instrumenter.end(context, request, response, error);
      }
    }
  }

  /** Ends an async request's span once, however the request finishes. */
  static final class EndOnCompletion implements AsyncListener {
    private final Instrumenter<HttpServletRequest, HttpServletResponse> instrumenter;
    private final Context context;
    private final AtomicBoolean ended = new AtomicBoolean();

    EndOnCompletion(
        Instrumenter<HttpServletRequest, HttpServletResponse> instrumenter, Context context) {
      this.instrumenter = instrumenter;
      this.context = context;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      end(event, null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      end(event, new TimeoutException("async request timed out"));
    }

    @Override
    public void onError(AsyncEvent event) {
      end(event, event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // a new startAsync drops the listeners registered on the previous cycle
      event
          .getAsyncContext()
          .addListener(this, event.getSuppliedRequest(), event.getSuppliedResponse());
    }

    private void end(AsyncEvent event, Throwable error) {
      if (!ended.compareAndSet(false, true)) return;
      instrumenter.end(
          context,
          (HttpServletRequest) event.getSuppliedRequest(),
          (HttpServletResponse) event.getSuppliedResponse(),
          error);
    }
  }
}
