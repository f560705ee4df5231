package dev.tracewire.server.simulator;

import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.SpanFormat;
import dev.tracewire.server.model.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Simulated traffic of a shop of twenty services (HTTP, gRPC, Kafka, RabbitMQ, NATS, MQTT, Redis
 * Streams and Pub/Sub, CloudEvents, a transactional outbox, an Istio-style mesh; kit,
 * plain-OpenTelemetry and Brave services) with faults injected at chosen rates, and the ground
 * truth of every hop.
 *
 * <pre>{@code
 * Simulator sim = Simulator.newBuilder().seed(7).rate(200).faults("context_stripped=0.05").build();
 * Simulator.Run run = sim.generate(5_000, startEpochNanos); // deterministic: batches + truth
 * try (AutoCloseable live = sim.start(spans -> server.accept(spans))) { ... } // wall clock
 * }</pre>
 */
public final class Simulator {
  private static final Logger logger = Logger.getLogger(Simulator.class.getName());

  private final long seed;
  private final double rate;
  private final Map<Fault, Double> faults;
  private final long exportDelayNanos;

  private Simulator(Builder b) {
    seed = b.seed;
    rate = b.rate;
    faults = b.faults;
    exportDelayNanos = b.exportDelay.toNanos();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** The fault rates in force. */
  public Map<Fault, Double> faults() {
    return faults;
  }

  /**
   * Simulates {@code requests} requests arriving at the configured rate (Poisson) from {@code
   * startEpochNanos}; the same seed gives the same run.
   */
  public Run generate(int requests, long startEpochNanos) {
    if (requests < 0)
      throw new IllegalArgumentException("requests: " + requests + " (expected: >= 0)");
    Traffic traffic = new Traffic(seed, faults);
    Random arrivals = new Random(seed ^ 0x5DEECE66DL);
    List<Batch> batches = new ArrayList<>();
    List<Truth> truth = new ArrayList<>();
    long t = startEpochNanos;
    for (int i = 0; i < requests; i++) {
      t += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
      List<SimSpan> spans = new ArrayList<>();
      traffic.request(t, spans, truth);
      batches.addAll(export(spans, arrivals));
    }
    batches.sort(Comparator.comparingLong(Batch::arrivalEpochNanos));
    return new Run(batches, truth);
  }

  /**
   * Runs until closed on a daemon thread at the configured rate, span times from the wall clock,
   * handing each export batch to {@code sink} when it is due. A sink that throws loses that batch
   * only.
   */
  public AutoCloseable start(Consumer<List<Span>> sink) {
    Live live = new Live(sink);
    live.thread.start();
    return live;
  }

  private List<Batch> export(List<SimSpan> spans, Random delays) {
    // each service exports its part of the request on its own schedule (BatchSpanProcessor-like)
    Map<Service, List<SimSpan>> byService = new LinkedHashMap<>();
    for (SimSpan s : spans) {
      if (s.reported) byService.computeIfAbsent(s.service, k -> new ArrayList<>()).add(s);
    }
    List<Batch> out = new ArrayList<>(byService.size());
    for (Map.Entry<Service, List<SimSpan>> e : byService.entrySet()) {
      long last = 0;
      for (SimSpan s : e.getValue()) last = Math.max(last, s.end);
      long arrival = last + (long) (delays.nextDouble() * exportDelayNanos);
      out.add(batch(e.getKey(), e.getValue(), arrival));
    }
    return out;
  }

  static Batch batch(Service service, List<SimSpan> spans, long arrival) {
    if (service.reportsZipkin()) {
      List<zipkin2.Span> z = new ArrayList<>(spans.size());
      for (SimSpan s : spans) z.add(s.toZipkin());
      // through the server's own Zipkin decoder, so the model spans are exactly what it would store
      DecodeResult decoded = SpanFormat.ZIPKIN_JSON.decode(SpanBytesEncoder.JSON_V2.encodeList(z));
      if (decoded.isMalformed() || decoded.rejectedCount() > 0) {
        throw new IllegalStateException("simulated Zipkin spans rejected: " + decoded);
      }
      return new Batch(arrival, service.name, true, decoded.spans(), z);
    }
    List<Span> model = new ArrayList<>(spans.size());
    for (SimSpan s : spans) model.add(s.toModel());
    return new Batch(arrival, service.name, false, model, List.of());
  }

  /** A finished simulation: export batches in arrival order and the ground truth. */
  public static final class Run {
    private final List<Batch> batches;
    private final List<Truth> truth;

    Run(List<Batch> batches, List<Truth> truth) {
      this.batches = List.copyOf(batches);
      this.truth = List.copyOf(truth);
    }

    /** Export batches in arrival order. */
    public List<Batch> batches() {
      return batches;
    }

    /** Every span of every batch, in arrival order. */
    public List<Span> spans() {
      List<Span> all = new ArrayList<>();
      for (Batch b : batches) all.addAll(b.spans());
      return all;
    }

    /** Every injected fault and every intact hop. */
    public List<Truth> truth() {
      return truth;
    }
  }

  private final class Live implements AutoCloseable {
    final Consumer<List<Span>> sink;
    final Thread thread;
    volatile boolean closed;

    Live(Consumer<List<Span>> sink) {
      this.sink = sink;
      this.thread = new Thread(this::run, "tracewire-simulator");
      thread.setDaemon(true);
    }

    private void run() {
      Traffic traffic = new Traffic(seed, faults);
      Random random = new Random(seed ^ 0x5DEECE66DL);
      java.util.PriorityQueue<Batch> due =
          new java.util.PriorityQueue<>(Comparator.comparingLong(Batch::arrivalEpochNanos));
      // requests start in the past so that, when sent, spans have ended as real ones would have
      long lead = TimeUnit.MILLISECONDS.toNanos(300);
      long next = now();
      while (!closed) {
        long now = now();
        while (next <= now) {
          List<SimSpan> spans = new ArrayList<>();
          traffic.request(next - lead, spans, new ArrayList<>());
          for (Batch b : export(spans, random)) {
            due.add(
                new Batch(
                    b.arrivalEpochNanos() + lead,
                    b.service(),
                    b.isZipkin(),
                    b.spans(),
                    b.zipkinSpans()));
          }
          next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
        }
        while (!due.isEmpty() && due.peek().arrivalEpochNanos() <= now) {
          Batch b = due.poll();
          try {
            sink.accept(b.spans());
          } catch (RuntimeException e) {
            logger.log(Level.FINE, "sink refused a batch of " + b.service(), e);
          }
        }
        long wake = Math.min(next, due.isEmpty() ? next : due.peek().arrivalEpochNanos());
        long sleep = Math.max(1, Math.min(wake - now(), TimeUnit.MILLISECONDS.toNanos(100)));
        try {
          TimeUnit.NANOSECONDS.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.interrupt();
      thread.join(TimeUnit.SECONDS.toMillis(5));
    }
  }

  private static long now() {
    java.time.Instant i = java.time.Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** Configures a {@link Simulator}; not thread-safe. */
  public static final class Builder {
    private long seed = 1;
    private double rate = 20;
    private Map<Fault, Double> faults = Map.of();
    private Duration exportDelay = Duration.ofSeconds(1);

    Builder() {}

    /** Seed of every random choice (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Requests per second arriving at the frontend (default 20). */
    public Builder rate(double requestsPerSecond) {
      if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
        throw new IllegalArgumentException("rate: " + requestsPerSecond + " (expected: > 0)");
      }
      this.rate = requestsPerSecond;
      return this;
    }

    /** Fault rates as {@code kind=rate,...}, e.g. {@code context_stripped=0.05}. */
    public Builder faults(String spec) {
      this.faults = Fault.parseRates(spec);
      return this;
    }

    /** Fault rates by wire name. */
    public Builder faults(Map<String, Double> rates) {
      this.faults = Fault.checkRates(rates);
      return this;
    }

    /** Longest delay between a span ending and its export arriving (default 1s). */
    public Builder exportDelay(Duration delay) {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("exportDelay: " + delay + " (expected: >= 0)");
      }
      this.exportDelay = delay;
      return this;
    }

    public Simulator build() {
      return new Simulator(this);
    }
  }
}
