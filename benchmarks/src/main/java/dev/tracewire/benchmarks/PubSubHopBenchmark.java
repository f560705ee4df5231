package dev.tracewire.benchmarks;

import dev.tracewire.instrumentation.envelope.Envelope;
import dev.tracewire.instrumentation.nats.NatsTracing;
import dev.tracewire.instrumentation.redis.RedisTracing;
import dev.tracewire.propagation.TracewirePropagator;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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

/**
 * One pub/sub hop (publish, then handle the delivered message in its context) per operation,
 * through in-memory loopback clients so the instrumentation, not the broker, is measured: NATS
 * (context in headers) and Redis Streams (context in entry fields), each untraced and with {@code
 * NatsTracing} / {@code RedisTracing} on the universal propagator, every span sampled and recorded
 * into a discarding exporter (OpenTelemetry ships no library instrumentation of jnats or of Lettuce
 * streams to compare with); and the payload envelope that header-less transports (MQTT 3.1.1, Redis
 * Pub/Sub) add, wrap plus unwrap, beside copying the payload.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar PubSubHopBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PubSubHopBenchmark {
  static final String SUBJECT = "orders";
  static final byte[] BODY = "{\"order\":1,\"paid\":true}".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> ENTRY = Map.of("order", "1", "paid", "true");

  /** The caller's context: a sampled span and one baggage entry, as in a real request. */
  static final Context CALLER =
      Context.root()
          .with(
              Span.wrap(
                  SpanContext.create(
                      "4bf92f3577b34da6a3ce929d0e0e4736",
                      "00f067aa0ba902b7",
                      TraceFlags.getSampled(),
                      TraceState.getDefault())))
          .with(Baggage.builder().put("tenant", "acme").build());

  static final Map<String, String> TRACE_FIELDS =
      Map.of(
          "traceparent",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "baggage",
          "tenant=acme");

  Message lastNats;
  Map<String, String> lastEntry;
  Connection nats;
  RedisStreamCommands<String, String> redis;
  NatsTracing natsTracing;
  RedisTracing redisTracing;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() throws Exception {
    // loopback clients: publishing keeps the message for the handler, as a broker would deliver it
    nats =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("publish") && args.length == 1) {
                    lastNats = (Message) args[0];
                    return null;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    redis =
        (RedisStreamCommands<String, String>)
            Proxy.newProxyInstance(
                RedisStreamCommands.class.getClassLoader(),
                new Class<?>[] {RedisStreamCommands.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("xadd") && args.length == 2) {
                    lastEntry = (Map<String, String>) args[1];
                    return "1700000000000-0";
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    OpenTelemetry sdk = sdk(TracewirePropagator.create());
    natsTracing = NatsTracing.create(sdk);
    redisTracing = RedisTracing.create(sdk);
    // fail the run rather than measure a hop that lost its context
    for (String handled : new String[] {nats_natsTracing(), redisStream_redisTracing()}) {
      if (handled.startsWith("0000000000000000") || !handled.contains("acme")) {
        throw new IllegalStateException("no span or baggage in the handler: " + handled);
      }
    }
  }

  private static OpenTelemetry sdk(TextMapPropagator propagator) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(
                    SimpleSpanProcessor.create(new RabbitHopBenchmark.DiscardingExporter()))
                .build())
        .setPropagators(ContextPropagators.create(propagator))
        .build();
  }

  static String handle(int size) {
    // reads the context the handler runs in, so no variant can skip building it
    return Span.current().getSpanContext().getSpanId()
        + Baggage.current().getEntryValue("tenant")
        + size;
  }

  @Benchmark
  public String nats_untraced() {
    try (io.opentelemetry.context.Scope ignored = CALLER.makeCurrent()) {
      nats.publish(NatsMessage.builder().subject(SUBJECT).data(BODY).build());
    }
    return handle(lastNats.getData().length);
  }

  @Benchmark
  public String nats_natsTracing() throws Exception {
    try (io.opentelemetry.context.Scope ignored = CALLER.makeCurrent()) {
      natsTracing.publish(nats, NatsMessage.builder().subject(SUBJECT).data(BODY).build());
    }
    String[] handled = new String[1];
    natsTracing.process(lastNats, m -> handled[0] = handle(m.getData().length));
    return handled[0];
  }

  @Benchmark
  public String redisStream_untraced() {
    try (io.opentelemetry.context.Scope ignored = CALLER.makeCurrent()) {
      redis.xadd(SUBJECT, new LinkedHashMap<>(ENTRY));
    }
    return handle(new StreamMessage<>(SUBJECT, "1700000000000-0", lastEntry).getBody().size());
  }

  @Benchmark
  public String redisStream_redisTracing() {
    try (io.opentelemetry.context.Scope ignored = CALLER.makeCurrent()) {
      redisTracing.xadd(redis, SUBJECT, ENTRY);
    }
    String[] handled = new String[1];
    redisTracing.process(
        "workers",
        new StreamMessage<>(SUBJECT, "1700000000000-0", lastEntry),
        e -> handled[0] = handle(e.getBody().size()));
    return handled[0];
  }

  @Benchmark
  public byte[] envelope_none_copyPayload() {
    return BODY.clone();
  }

  @Benchmark
  public byte[] envelope_wrapAndUnwrap() {
    return Envelope.unwrap(Envelope.wrap(TRACE_FIELDS, BODY)).payload();
  }
}
