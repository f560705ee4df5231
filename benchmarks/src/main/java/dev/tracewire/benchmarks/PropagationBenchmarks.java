package dev.tracewire.benchmarks;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Extract and inject per format, Tracewire's propagators beside OpenTelemetry's own in the same
 * run, and the universal propagator against OpenTelemetry's composite. Names read {@code
 * <operation>_<format or case>_<whose>}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PropagationBenchmarks -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PropagationBenchmarks {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN_ID = "00f067aa0ba902b7";
  // All four formats agree, the common case in a mixed fleet; universal still reads and compares
  // each.
  static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
  static final String B3 = TRACE_ID + "-" + SPAN_ID + "-1";
  static final String UBER_TRACE_ID = TRACE_ID + ":" + SPAN_ID + ":0:1";
  static final String SENTRY_TRACE = TRACE_ID + "-" + SPAN_ID + "-1";
  static final String BAGGAGE = "tenant=acme,region=eu-west-1";

  static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier.get(key);
        }
      };

  // Writing into the Blackhole keeps carrier costs (map growth, hashing) out of inject figures.
  static final TextMapSetter<Blackhole> SETTER =
      (blackhole, key, value) -> blackhole.consume(value);

  // Tracewire
  final TextMapPropagator tracecontext = Format.TRACECONTEXT.propagator();
  final TextMapPropagator baggage = Format.BAGGAGE.propagator();
  final TextMapPropagator b3 = Format.B3.propagator();
  final TextMapPropagator b3multi = Format.B3_MULTI.propagator();
  final TextMapPropagator jaeger = Format.JAEGER.propagator();
  final TextMapPropagator sentry = Format.SENTRY.propagator();
  final TextMapPropagator universal = TracewirePropagator.create();

  // OpenTelemetry
  final TextMapPropagator otelTracecontext = W3CTraceContextPropagator.getInstance();
  final TextMapPropagator otelBaggage = W3CBaggagePropagator.getInstance();
  final TextMapPropagator otelB3 = B3Propagator.injectingSingleHeader();
  final TextMapPropagator otelB3multi = B3Propagator.injectingMultiHeaders();
  final TextMapPropagator otelJaeger = JaegerPropagator.getInstance();
  final TextMapPropagator otelComposite =
      TextMapPropagator.composite(otelTracecontext, otelBaggage, otelB3, otelB3multi, otelJaeger);

  final Map<String, String> traceparentOnly = headers("traceparent", TRACEPARENT);
  final Map<String, String> baggageOnly = headers("baggage", BAGGAGE);
  final Map<String, String> b3Only = headers("b3", B3);
  final Map<String, String> b3multiOnly =
      headers("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "1");
  final Map<String, String> jaegerOnly = headers("uber-trace-id", UBER_TRACE_ID);
  final Map<String, String> sentryOnly = headers("sentry-trace", SENTRY_TRACE);
  final Map<String, String> fourFormats =
      headers(
          "traceparent", TRACEPARENT,
          "b3", B3,
          "uber-trace-id", UBER_TRACE_ID,
          "sentry-trace", SENTRY_TRACE);

  /** What an outgoing call carries: a local span and two baggage entries. */
  final Context outgoing =
      Context.root()
          .with(
              Span.wrap(
                  SpanContext.create(
                      TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault())))
          .with(Baggage.builder().put("tenant", "acme").put("region", "eu-west-1").build());

  static Map<String, String> headers(String... namesAndValues) {
    // HTTP header lookups are case-insensitive; a TreeMap gives that without allocating per lookup.
    Map<String, String> result = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      result.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return result;
  }

  /** Fails the run when a benchmark would measure a miss: every extract must yield its context. */
  @Setup
  public void checkEveryExtractFindsItsContext() {
    requireParent("extract_tracecontext_tracewire", extract_tracecontext_tracewire());
    requireParent("extract_tracecontext_otel", extract_tracecontext_otel());
    requireParent("extract_b3_tracewire", extract_b3_tracewire());
    requireParent("extract_b3_otel", extract_b3_otel());
    requireParent("extract_b3multi_tracewire", extract_b3multi_tracewire());
    requireParent("extract_b3multi_otel", extract_b3multi_otel());
    requireParent("extract_jaeger_tracewire", extract_jaeger_tracewire());
    requireParent("extract_jaeger_otel", extract_jaeger_otel());
    requireParent("extract_sentry_tracewire", extract_sentry_tracewire());
    requireParent("extract_traceparentOnly_universal", extract_traceparentOnly_universal());
    requireParent("extract_traceparentOnly_otelComposite", extract_traceparentOnly_otelComposite());
    requireParent("extract_fourFormats_universal", extract_fourFormats_universal());
    requireParent("extract_fourFormats_otelComposite", extract_fourFormats_otelComposite());
    requireBaggage("extract_baggage_tracewire", extract_baggage_tracewire());
    requireBaggage("extract_baggage_otel", extract_baggage_otel());
  }

  static void requireParent(String benchmark, Context extracted) {
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    if (!parent.getTraceId().equals(TRACE_ID) || !parent.getSpanId().equals(SPAN_ID)) {
      throw new IllegalStateException(
          benchmark + ": extracted " + parent + " (expected: " + B3 + ")");
    }
  }

  static void requireBaggage(String benchmark, Context extracted) {
    Baggage baggage = Baggage.fromContext(extracted);
    if (baggage.size() != 2) {
      throw new IllegalStateException(
          benchmark + ": extracted " + baggage + " (expected: " + BAGGAGE + ")");
    }
  }

  // ---- extract, per format ----

  @Benchmark
  public Context extract_tracecontext_tracewire() {
    return tracecontext.extract(Context.root(), traceparentOnly, GETTER);
  }

  @Benchmark
  public Context extract_tracecontext_otel() {
    return otelTracecontext.extract(Context.root(), traceparentOnly, GETTER);
  }

  @Benchmark
  public Context extract_baggage_tracewire() {
    return baggage.extract(Context.root(), baggageOnly, GETTER);
  }

  @Benchmark
  public Context extract_baggage_otel() {
    return otelBaggage.extract(Context.root(), baggageOnly, GETTER);
  }

  @Benchmark
  public Context extract_b3_tracewire() {
    return b3.extract(Context.root(), b3Only, GETTER);
  }

  @Benchmark
  public Context extract_b3_otel() {
    return otelB3.extract(Context.root(), b3Only, GETTER);
  }

  @Benchmark
  public Context extract_b3multi_tracewire() {
    return b3multi.extract(Context.root(), b3multiOnly, GETTER);
  }

  @Benchmark
  public Context extract_b3multi_otel() {
    return otelB3multi.extract(Context.root(), b3multiOnly, GETTER);
  }

  @Benchmark
  public Context extract_jaeger_tracewire() {
    return jaeger.extract(Context.root(), jaegerOnly, GETTER);
  }

  @Benchmark
  public Context extract_jaeger_otel() {
    return otelJaeger.extract(Context.root(), jaegerOnly, GETTER);
  }

  @Benchmark
  public Context extract_sentry_tracewire() {
    return sentry.extract(Context.root(), sentryOnly, GETTER);
  }

  // ---- extract, universal vs composite ----

  @Benchmark
  public Context extract_traceparentOnly_universal() {
    return universal.extract(Context.root(), traceparentOnly, GETTER);
  }

  @Benchmark
  public Context extract_traceparentOnly_otelComposite() {
    return otelComposite.extract(Context.root(), traceparentOnly, GETTER);
  }

  @Benchmark
  public Context extract_fourFormats_universal() {
    return universal.extract(Context.root(), fourFormats, GETTER);
  }

  @Benchmark
  public Context extract_fourFormats_otelComposite() {
    return otelComposite.extract(Context.root(), fourFormats, GETTER);
  }

  // ---- inject, per format ----

  @Benchmark
  public void inject_tracecontext_tracewire(Blackhole blackhole) {
    tracecontext.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_tracecontext_otel(Blackhole blackhole) {
    otelTracecontext.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_baggage_tracewire(Blackhole blackhole) {
    baggage.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_baggage_otel(Blackhole blackhole) {
    otelBaggage.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_b3_tracewire(Blackhole blackhole) {
    b3.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_b3_otel(Blackhole blackhole) {
    otelB3.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_b3multi_tracewire(Blackhole blackhole) {
    b3multi.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_b3multi_otel(Blackhole blackhole) {
    otelB3multi.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_jaeger_tracewire(Blackhole blackhole) {
    jaeger.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_jaeger_otel(Blackhole blackhole) {
    otelJaeger.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_sentry_tracewire(Blackhole blackhole) {
    sentry.inject(outgoing, blackhole, SETTER);
  }

  // ---- inject, universal (defaults: tracecontext, baggage, xrequestid) vs composite ----

  @Benchmark
  public void inject_defaults_universal(Blackhole blackhole) {
    universal.inject(outgoing, blackhole, SETTER);
  }

  @Benchmark
  public void inject_all_otelComposite(Blackhole blackhole) {
    otelComposite.inject(outgoing, blackhole, SETTER);
  }
}
