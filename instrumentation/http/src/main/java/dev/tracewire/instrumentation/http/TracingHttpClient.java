package dev.tracewire.instrumentation.http;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpClientAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} that runs each exchange in a CLIENT span and injects its context. The
 * request is copied with the trace headers added, since {@link HttpRequest} is immutable.
 */
final class TracingHttpClient extends HttpClient {

  static Instrumenter<HttpRequest, HttpResponse<?>> instrumenter(HttpTracing tracing) {
    JdkClientAttributesGetter getter = JdkClientAttributesGetter.INSTANCE;
    return Instrumenter.<HttpRequest, HttpResponse<?>>builder(
            tracing.openTelemetry,
            HttpTracing.INSTRUMENTATION_NAME,
            HttpSpanNameExtractor.create(getter))
        .setSpanStatusExtractor(HttpSpanStatusExtractor.create(getter))
        .addAttributesExtractor(
            HttpClientAttributesExtractor.builder(getter)
                .setRequestHeaders(tracing.capturedRequestHeaders)
                .setResponseHeaders(tracing.capturedResponseHeaders)
                .build())
        .addAttributesExtractor(InjectedRequestIdExtractor.INSTANCE)
        // we inject ourselves: the builder's client mode would use openTelemetry's propagator
        .buildInstrumenter(SpanKindExtractor.alwaysClient());
  }

  enum BuilderSetter implements TextMapSetter<HttpRequest.Builder> {
    INSTANCE;

    @Override
    public void set(HttpRequest.Builder carrier, String key, String value) {
      if (carrier != null) carrier.setHeader(key, value);
    }
  }

  private final HttpClient delegate;
  private final Instrumenter<HttpRequest, HttpResponse<?>> instrumenter;
  private final TextMapPropagator propagator;

  TracingHttpClient(
      HttpClient delegate,
      Instrumenter<HttpRequest, HttpResponse<?>> instrumenter,
      TextMapPropagator propagator) {
    this.delegate = delegate;
    this.instrumenter = instrumenter;
    this.propagator = propagator;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Context parent = Context.current();
    if (request == null || !instrumenter.shouldStart(parent, request)) {
      return delegate.send(request, handler);
    }
    Context context = instrumenter.start(parent, request);
    HttpRequest traced = inject(context, request);
    HttpResponse<T> response;
    try (Scope ignored = context.makeCurrent()) {
      response = delegate.send(traced, handler);
    } catch (Throwable t) {
      instrumenter.end(context, traced, null, t);
      throw t;
    }
    instrumenter.end(context, traced, response, null);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    Context parent = Context.current();
    if (request == null || !instrumenter.shouldStart(parent, request)) {
      return delegate.sendAsync(request, handler, pushPromiseHandler);
    }
    Context context = instrumenter.start(parent, request);
    HttpRequest traced = inject(context, request);
    CompletableFuture<HttpResponse<T>> sent;
    try (Scope ignored = context.makeCurrent()) {
      sent = delegate.sendAsync(traced, handler, pushPromiseHandler);
    } catch (Throwable t) {
      instrumenter.end(context, traced, null, t);
      throw t;
    }
    CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    sent.whenComplete(
        (response, error) -> {
          instrumenter.end(context, traced, response, unwrap(error));
          // stages the caller chained run on the client's thread: give them the caller's context
          try (Scope ignored = parent.makeCurrent()) {
            if (error != null) {
              result.completeExceptionally(error);
            } else {
              result.complete(response);
            }
          }
        });
    result.whenComplete(
        (response, error) -> {
          if (result.isCancelled()) sent.cancel(true);
        });
    return result;
  }

  private HttpRequest inject(Context context, HttpRequest request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true);
    propagator.inject(context, builder, BuilderSetter.INSTANCE);
    return builder.build();
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public String toString() {
    return "TracingHttpClient{" + delegate + "}";
  }
}
