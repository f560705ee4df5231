package dev.tracewire.benchmarks;

import dev.tracewire.instrumentation.kafka.KafkaTracing;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * One Kafka hop (send, deliver, poll, handle in the record's context) per operation, through
 * kafka-clients' in-memory MockProducer and MockConsumer so the instrumentation, not the broker, is
 * measured: untraced, OpenTelemetry's {@code KafkaTelemetry} wrappers alone, and {@code
 * KafkaTracing} with OpenTelemetry's W3C propagators and with the universal propagator. Every
 * traced variant samples and records every span into a discarding exporter.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar KafkaHopBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class KafkaHopBenchmark {
  static final String TOPIC = "orders";
  static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

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

  /** A producer and consumer pair, wrapped or not, over in-memory Kafka clients. */
  static final class Hop {
    final MockProducer<String, String> mockProducer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    final MockConsumer<String, String> mockConsumer = new MockConsumer<>("earliest");
    final Producer<String, String> producer;
    final Consumer<String, String> consumer;
    final KafkaTracing tracing; // null: handle records in the iteration's context
    long offset;

    Hop(KafkaTracing tracing, KafkaTelemetry telemetry) {
      this.tracing = tracing;
      mockConsumer.assign(List.of(PARTITION));
      mockConsumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
      if (tracing != null) {
        producer = tracing.producer(mockProducer);
        consumer = tracing.consumer(mockConsumer);
      } else if (telemetry != null) {
        producer = telemetry.wrap(mockProducer);
        consumer = telemetry.wrap(mockConsumer);
      } else {
        producer = mockProducer;
        consumer = mockConsumer;
      }
    }

    String run() {
      try (io.opentelemetry.context.Scope ignored = CALLER.makeCurrent()) {
        producer.send(new ProducerRecord<>(TOPIC, 0, "order-7", "paid"));
      }
      ProducerRecord<String, String> sent = mockProducer.history().get(0);
      mockProducer.clear();
      mockConsumer.addRecord(
          new ConsumerRecord<>(
              TOPIC,
              0,
              offset++,
              0L,
              TimestampType.CREATE_TIME,
              7,
              4,
              sent.key(),
              sent.value(),
              sent.headers(),
              Optional.empty()));
      String handled = null;
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ZERO)) {
        if (tracing == null) {
          handled = handle(record);
        } else {
          try (io.opentelemetry.context.Scope ignored = tracing.context(record).makeCurrent()) {
            handled = handle(record);
          }
        }
      }
      if (handled == null) throw new IllegalStateException("the record was not delivered");
      return handled;
    }

    private static String handle(ConsumerRecord<String, String> record) {
      // reads the context the handler runs in, so no variant can skip building it
      return Span.current().getSpanContext().getSpanId()
          + Baggage.current().getEntryValue("tenant")
          + record.value();
    }
  }

  Hop plain;
  Hop openTelemetry;
  Hop tracewireW3c;
  Hop tracewireUniversal;

  @Setup
  public void setUp() {
    TextMapPropagator w3c =
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    plain = new Hop(null, null);
    openTelemetry = new Hop(null, KafkaTelemetry.create(sdk(w3c)));
    tracewireW3c = new Hop(KafkaTracing.create(sdk(w3c)), null);
    tracewireUniversal = new Hop(KafkaTracing.create(sdk(TracewirePropagator.create())), null);
    // fail the run rather than measure a hop that lost its context
    for (Hop hop : List.of(openTelemetry, tracewireW3c, tracewireUniversal)) {
      if (hop.run().startsWith("0000000000000000")) {
        throw new IllegalStateException("no span current in the consumer's handler");
      }
    }
  }

  private static OpenTelemetry sdk(TextMapPropagator propagator) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingExporter()))
                .build())
        .setPropagators(ContextPropagators.create(propagator))
        .build();
  }

  @Benchmark
  public String hop_untraced() {
    return plain.run();
  }

  @Benchmark
  public String hop_openTelemetryKafkaTelemetry() {
    return openTelemetry.run();
  }

  @Benchmark
  public String hop_tracewireKafkaTracing_w3cPropagators() {
    return tracewireW3c.run();
  }

  @Benchmark
  public String hop_tracewireKafkaTracing_universalPropagator() {
    return tracewireUniversal.run();
  }

  /** Exports nothing: the benchmark measures recording, not export. */
  static final class DiscardingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
