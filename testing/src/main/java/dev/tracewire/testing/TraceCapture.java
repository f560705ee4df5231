package dev.tracewire.testing;

import dev.tracewire.extension.HopDiagnosticsSpanProcessor;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that captures the spans of several services running in one test JVM, each
 * with its own OpenTelemetry SDK, {@code service.name}, the universal {@link TracewirePropagator}
 * and hop diagnostics, all exporting to one in-memory exporter that is emptied before each test.
 *
 * <pre>{@code
 * @RegisterExtension static final TraceCapture capture = TraceCapture.create();
 *
 * @Test
 * void order_reachesPayments() {
 *   OpenTelemetry orders = capture.service("orders");
 *   OpenTelemetry payments = capture.service("payments");
 *   String traceId = ...; // run the flow with both
 *   capture.awaitTrace(traceId, 3);
 *   TraceAssert.assertThat(capture.trace(traceId)).isUnbroken().hasHop("orders", "payments", "http");
 * }
 * }</pre>
 */
public final class TraceCapture implements BeforeEachCallback, AfterAllCallback, AutoCloseable {
  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  /** Returns a capture that waits up to 10 seconds for spans. */
  public static TraceCapture create() {
    return newBuilder().build();
  }

  /** Returns a builder for options. */
  public static Builder newBuilder() {
    return new Builder();
  }

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final Map<String, OpenTelemetrySdk> services = new LinkedHashMap<>();
  private final Duration timeout;
  private final boolean hopDiagnosticsProcessor;

  private TraceCapture(Builder builder) {
    this.timeout = builder.timeout;
    this.hopDiagnosticsProcessor = builder.hopDiagnosticsProcessor;
  }

  /**
   * Returns the OpenTelemetry of the service {@code name}, creating it on first use: its own
   * resource, {@link TracewirePropagator#create()} as propagator, sampling everything.
   */
  public synchronized OpenTelemetry service(String name) {
    OpenTelemetrySdk existing = services.get(name);
    return existing != null ? existing : service(name, TracewirePropagator.create());
  }

  /**
   * Like {@link #service(String)} with another propagator, e.g. a {@link TracewirePropagator} built
   * with options. Asking again for the same name with another propagator is an error.
   */
  public synchronized OpenTelemetry service(String name, TextMapPropagator propagator) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name: " + name + " (expected: a service name)");
    }
    if (propagator == null) throw new NullPointerException("propagator == null");
    OpenTelemetrySdk existing = services.get(name);
    if (existing != null) {
      TextMapPropagator current = existing.getPropagators().getTextMapPropagator();
      if (current != propagator && !current.toString().equals(propagator.toString())) {
        throw new IllegalStateException(
            "service " + name + " already uses propagator " + current + ", not " + propagator);
      }
      return existing;
    }
    SdkTracerProviderBuilder tracerProvider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, name))))
            .setSampler(Sampler.alwaysOn());
    if (hopDiagnosticsProcessor) {
      tracerProvider.addSpanProcessor(HopDiagnosticsSpanProcessor.create());
    }
    tracerProvider.addSpanProcessor(SimpleSpanProcessor.create(new SharedExporter(exporter)));
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider.build())
            .setPropagators(ContextPropagators.create(propagator))
            .build();
    services.put(name, sdk);
    return sdk;
  }

  /** Every span finished since the last reset, in the order they ended. */
  public List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  /**
   * Waits until at least {@code count} spans have finished and returns all finished spans.
   *
   * @throws AssertionError naming what arrived when they do not arrive in time
   */
  public List<SpanData> awaitSpans(int count) {
    return await(spans -> spans.size() >= count, count + " spans");
  }

  /**
   * Waits until the trace {@code traceId} has at least {@code count} finished spans and returns a
   * snapshot of it.
   *
   * @throws AssertionError naming what arrived when they do not arrive in time
   */
  public CapturedTrace awaitTrace(String traceId, int count) {
    await(
        spans -> spans.stream().filter(s -> s.getTraceId().equals(traceId)).count() >= count,
        count + " spans of trace " + traceId);
    return trace(traceId);
  }

  /**
   * Waits until a finished span matches {@code condition} and returns all finished spans.
   *
   * @param description what is awaited, for the failure message
   */
  public List<SpanData> awaitSpan(Predicate<SpanData> condition, String description) {
    return await(spans -> spans.stream().anyMatch(condition), description);
  }

  /**
   * A snapshot of the trace {@code traceId} among the spans finished so far; it also keeps the
   * other captured spans, so assertions can say where a broken hop went.
   */
  public CapturedTrace trace(String traceId) {
    return new CapturedTrace(traceId, spans());
  }

  Duration timeout() {
    return timeout;
  }

  /** Forgets every finished span; done before each test. */
  public void reset() {
    exporter.reset();
  }

  private List<SpanData> await(Predicate<List<SpanData>> done, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<SpanData> spans = spans();
      if (done.test(spans)) return spans;
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "waited "
                + timeout.toMillis()
                + " ms for "
                + what
                + "; "
                + spans.size()
                + " finished: "
                + spans.stream().map(Spans::brief).collect(Collectors.toList()));
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Shuts down every service's SDK; a later {@link #service} call starts a new one. */
  @Override
  public synchronized void close() {
    List<OpenTelemetrySdk> toClose = new ArrayList<>(services.values());
    services.clear();
    for (OpenTelemetrySdk sdk : toClose) sdk.close();
  }

  /**
   * The one exporter every service shares: closing a service's SDK must not shut it down, or a
   * capture reused after {@link #close()} would silently export nothing.
   */
  private static final class SharedExporter implements SpanExporter {
    private final SpanExporter delegate;

    SharedExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return delegate.export(spans);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Override
  public String toString() {
    return "TraceCapture{services=" + services.keySet() + ", timeout=" + timeout + "}";
  }

  /** Options of a {@link TraceCapture}. */
  public static final class Builder {
    private Duration timeout = Duration.ofSeconds(10);
    private boolean hopDiagnosticsProcessor = true;

    private Builder() {}

    /** How long the {@code await*} methods wait; default 10 seconds. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether each service's SDK runs {@link HopDiagnosticsSpanProcessor}; default true. Turn it
     * off to prove that an instrumentation records hop diagnostics by itself.
     */
    public Builder hopDiagnosticsProcessor(boolean enabled) {
      this.hopDiagnosticsProcessor = enabled;
      return this;
    }

    /** Returns the capture. */
    public TraceCapture build() {
      return new TraceCapture(this);
    }
  }
}
