package dev.tracewire.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import dev.tracewire.instrumentation.rabbitmq.RabbitTracing;
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
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
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
 * One RabbitMQ hop (publish, deliver to a {@code DeliverCallback}, handle in the delivery's
 * context) per operation, through an in-memory loopback channel so the instrumentation, not the
 * broker, is measured: untraced, {@code RabbitTracing} with OpenTelemetry's W3C propagators
 * (OpenTelemetry ships no library instrumentation of amqp-client, so this is the OpenTelemetry-only
 * peer), and with the universal propagator and its hop diagnostics. Every traced variant samples
 * and records every span into a discarding exporter.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RabbitHopBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RabbitHopBenchmark {
  static final String QUEUE = "orders";
  static final byte[] BODY = "paid".getBytes(StandardCharsets.UTF_8);

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

  /**
   * A channel that keeps the last published message and hands it to the one registered
   * DeliverCallback when asked, as a broker would on another thread.
   */
  static final class Loopback {
    final Channel channel;
    DeliverCallback callback;
    Delivery pending;
    long deliveryTag;

    Loopback() {
      channel =
          (Channel)
              Proxy.newProxyInstance(
                  Channel.class.getClassLoader(),
                  new Class<?>[] {Channel.class},
                  (proxy, method, args) -> {
                    switch (method.getName()) {
                      case "basicPublish":
                        if (args.length != 6) break;
                        pending =
                            new Delivery(
                                new Envelope(
                                    ++deliveryTag, false, (String) args[0], (String) args[1]),
                                (AMQP.BasicProperties) args[4],
                                (byte[]) args[5]);
                        return null;
                      case "basicConsume":
                        callback = (DeliverCallback) args[2];
                        return "consumer-1";
                      case "getConnection":
                        return null;
                      case "isOpen":
                        return true;
                      case "toString":
                        return "Loopback";
                      case "hashCode":
                        return System.identityHashCode(proxy);
                      case "equals":
                        return proxy == args[0];
                      default:
                        break;
                    }
                    throw new UnsupportedOperationException(method.toString());
                  });
    }

    void deliver() throws Exception {
      Delivery delivery = pending;
      pending = null;
      callback.handle("consumer-1", delivery);
    }
  }

  /** A publisher and a consumer over one loopback, traced or not. */
  static final class Hop {
    final Loopback loopback = new Loopback();
    final Channel channel;
    String handled;

    Hop(RabbitTracing tracing) throws Exception {
      channel = tracing == null ? loopback.channel : tracing.channel(loopback.channel);
      channel.basicConsume(QUEUE, true, (tag, delivery) -> handled = handle(delivery), tag -> {});
    }

    String run() throws Exception {
      try (io.opentelemetry.context.Scope ignored = CALLER.makeCurrent()) {
        channel.basicPublish("", QUEUE, false, false, null, BODY);
      }
      loopback.deliver();
      String result = handled;
      if (result == null) throw new IllegalStateException("the message was not delivered");
      handled = null;
      return result;
    }

    private static String handle(Delivery delivery) {
      // reads the context the handler runs in, so no variant can skip building it
      return Span.current().getSpanContext().getSpanId()
          + Baggage.current().getEntryValue("tenant")
          + delivery.getBody().length;
    }
  }

  Hop plain;
  Hop tracewireW3c;
  Hop tracewireUniversal;

  @Setup
  public void setUp() throws Exception {
    TextMapPropagator w3c =
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    plain = new Hop(null);
    tracewireW3c = new Hop(RabbitTracing.create(sdk(w3c)));
    tracewireUniversal = new Hop(RabbitTracing.create(sdk(TracewirePropagator.create())));
    // fail the run rather than measure a hop that lost its context
    for (Hop hop : List.of(tracewireW3c, tracewireUniversal)) {
      String handled = hop.run();
      if (handled.startsWith("0000000000000000") || !handled.contains("acme")) {
        throw new IllegalStateException("no span or baggage in the consumer's handler: " + handled);
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
  public String hop_untraced() throws Exception {
    return plain.run();
  }

  @Benchmark
  public String hop_rabbitTracing_w3cPropagators() throws Exception {
    return tracewireW3c.run();
  }

  @Benchmark
  public String hop_rabbitTracing_universalPropagator() throws Exception {
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
