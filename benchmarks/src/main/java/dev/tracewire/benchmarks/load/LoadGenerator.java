package dev.tracewire.benchmarks.load;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.storage.tck.RealisticLoad;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Sends {@link RealisticLoad} export batches (10-span traces over 5 services, 512 spans a batch) to
 * a span endpoint on loopback from {@code --connections} concurrent connections and reports
 * accepted spans per second end to end. Only 2xx answers count as accepted; 429 and 503 are backed
 * off (honouring {@code Retry-After}) and retried, and counted apart.
 *
 * <p>{@code java -cp benchmarks.jar dev.tracewire.benchmarks.load.LoadGenerator --format zipkin
 * --url http://127.0.0.1:9411/api/v2/spans --spans 300000 --connections 8}
 */
public final class LoadGenerator {
  private static final Payload POISON = new Payload(new byte[0], 0, new String[0], 0, 0);

  private final Options o;
  private final HttpClient client;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder throttled = new LongAdder(); // 429
  private final LongAdder unavailable = new LongAdder(); // 503
  private final LongAdder failed = new LongAdder();
  private final LongAdder failedSpans = new LongAdder();
  private final Latencies latencies = new Latencies();
  private TraceSample sample = new TraceSample(0, 0);

  private LoadGenerator(Options o) {
    this.o = o;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    new LoadGenerator(o).run();
  }

  private void run() throws Exception {
    Function<List<Span>, byte[]> encoder =
        o.format.equals("otlp") ? OtlpProto::encode : ZipkinJson::encode;
    String contentType = o.format.equals("otlp") ? "application/x-protobuf" : "application/json";
    System.out.printf(
        "format=%s url=%s spans=%d connections=%d preEncode=%s loadavg=%s%n",
        o.format, o.url, o.spans, o.connections, o.preEncode, loadAverage());

    if (o.warmupSpans > 0) {
      // different seed: warm-up spans must not collide with measured ones (storage dedupes)
      List<Payload> warm = new ArrayList<>();
      RealisticLoad.create(o.seed ^ 0x5DEECE66DL)
          .generate(o.warmupSpans, b -> warm.add(Payload.of(encoder.apply(b), b)));
      send(warm, contentType, Long.MAX_VALUE);
      System.out.printf(
          "warm-up: accepted=%d 429=%d failed=%d%n", accepted.sum(), throttled.sum(), failed.sum());
      accepted.reset();
      requests.reset();
      throttled.reset();
      unavailable.reset();
      failed.reset();
      failedSpans.reset();
      latencies.reset();
    }

    sample = new TraceSample(o.sampleTraces, o.seed);
    long startNanos;
    long elapsedNanos;
    double cpuAtStart;
    if (o.preEncode) {
      List<Payload> payloads = new ArrayList<>();
      RealisticLoad.create(o.seed)
          .generate(o.spans, b -> payloads.add(Payload.of(encoder.apply(b), b)));
      cpuAtStart = o.serverPid > 0 ? ProcMemory.cpuSeconds(o.serverPid) : 0;
      startNanos = System.nanoTime();
      send(payloads, contentType, startNanos + TimeUnit.SECONDS.toNanos(o.maxSeconds));
      elapsedNanos = System.nanoTime() - startNanos;
    } else {
      BlockingQueue<Payload> queue = new ArrayBlockingQueue<>(o.connections * 4);
      cpuAtStart = o.serverPid > 0 ? ProcMemory.cpuSeconds(o.serverPid) : 0;
      startNanos = System.nanoTime();
      long deadline = startNanos + TimeUnit.SECONDS.toNanos(o.maxSeconds);
      Thread producer =
          new Thread(
              () -> {
                try {
                  RealisticLoad.create(o.seed)
                      .generate(
                          o.spans,
                          b -> {
                            if (System.nanoTime() > deadline) return;
                            put(queue, Payload.of(encoder.apply(b), b));
                          });
                } finally {
                  for (int i = 0; i < o.connections; i++) put(queue, POISON);
                }
              },
              "load-producer");
      producer.start();
      drain(queue, contentType, deadline);
      producer.join();
      elapsedNanos = System.nanoTime() - startNanos;
    }

    double seconds = elapsedNanos / 1e9;
    System.out.printf(
        Locale.ROOT,
        "RESULT format=%s connections=%d accepted_spans=%d seconds=%.1f accepted_spans_per_s=%.0f"
            + " requests=%d http_429=%d http_503=%d failed_requests=%d failed_spans=%d"
            + " request_ms_p50=%.1f request_ms_p99=%.1f loadavg_end=%s%n",
        o.format,
        o.connections,
        accepted.sum(),
        seconds,
        accepted.sum() / seconds,
        requests.sum(),
        throttled.sum(),
        unavailable.sum(),
        failed.sum(),
        failedSpans.sum(),
        latencies.percentileMillis(50),
        latencies.percentileMillis(99),
        loadAverage());
    if (o.serverPid > 0) {
      // CPU the server spent while the load ran, per span: how much work a span costs it,
      // whatever share of the cores the load generator took (work it defers, such as analysing
      // traces after they settle, is not included)
      double cpu = ProcMemory.cpuSeconds(o.serverPid) - cpuAtStart;
      System.out.printf(
          Locale.ROOT,
          "server %s cpu_s=%.1f cpu_us_per_span=%.1f%n",
          ProcMemory.describe(o.serverPid),
          cpu,
          accepted.sum() == 0 ? 0.0 : cpu * 1e6 / accepted.sum());
    }
    if (o.idsOut != null) {
      sample.write(o.idsOut);
      System.out.println("wrote " + sample.size() + " trace ids and the time range to " + o.idsOut);
    }
  }

  private void send(List<Payload> payloads, String contentType, long deadline)
      throws InterruptedException {
    BlockingQueue<Payload> queue = new ArrayBlockingQueue<>(payloads.size() + o.connections);
    queue.addAll(payloads);
    for (int i = 0; i < o.connections; i++) queue.add(POISON);
    drain(queue, contentType, deadline);
  }

  private void drain(BlockingQueue<Payload> queue, String contentType, long deadline)
      throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    AtomicLong lastReport = new AtomicLong(System.nanoTime());
    for (int i = 0; i < o.connections; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (Payload p; (p = queue.take()) != POISON; ) {
                    if (System.nanoTime() > deadline) continue; // drain to the poison
                    post(p, contentType);
                    long last = lastReport.get();
                    long now = System.nanoTime();
                    if (now - last > TimeUnit.SECONDS.toNanos(10)
                        && lastReport.compareAndSet(last, now)) {
                      System.out.printf(
                          "  accepted=%d 429=%d loadavg=%s%n",
                          accepted.sum(), throttled.sum(), loadAverage());
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "load-connection-" + i);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) t.join();
  }

  private void post(Payload p, String contentType) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(o.url)
            .header("Content-Type", contentType)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(p.body))
            .build();
    long backoffMillis = 100;
    for (int attempt = 0; ; attempt++) {
      long start = System.nanoTime();
      HttpResponse<Void> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (IOException e) {
        requests.increment();
        failed.increment();
        failedSpans.add(p.spans);
        System.err.println("request failed: " + e);
        return;
      }
      requests.increment();
      latencies.record(System.nanoTime() - start);
      int code = response.statusCode();
      if (code / 100 == 2) {
        accepted.add(p.spans);
        sample.observe(p); // only accepted traces: QueryLoad expects to find every sampled one
        return;
      }
      if ((code == 429 || code == 503) && attempt < 100) {
        (code == 429 ? throttled : unavailable).increment();
        long wait =
            response
                .headers()
                .firstValue("Retry-After")
                .map(v -> parseSeconds(v) * 1000)
                .orElse(backoffMillis);
        Thread.sleep(Math.min(wait, 5000));
        backoffMillis = Math.min(backoffMillis * 2, 5000);
        continue;
      }
      failed.increment();
      failedSpans.add(p.spans);
      System.err.println("HTTP " + code + " for a batch of " + p.spans + " spans");
      return;
    }
  }

  private static long parseSeconds(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static void put(BlockingQueue<Payload> queue, Payload p) {
    try {
      queue.put(p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private record Payload(
      byte[] body, int spans, String[] rootTraceIds, long minStartNanos, long maxStartNanos) {
    static Payload of(byte[] body, List<Span> batch) {
      List<String> roots = new ArrayList<>();
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (Span s : batch) {
        min = Math.min(min, s.startEpochNanos());
        max = Math.max(max, s.startEpochNanos());
        if (s.isRoot()) roots.add(s.traceIdHex());
      }
      return new Payload(body, batch.size(), roots.toArray(new String[0]), min, max);
    }
  }

  /**
   * Reservoir sample of accepted trace ids (from root spans) plus the range of accepted span start
   * times.
   */
  static final class TraceSample {
    private final String[] ids;
    private final SplittableRandom random;
    private long seen;
    private long minStartNanos = Long.MAX_VALUE;
    private long maxStartNanos = Long.MIN_VALUE;

    TraceSample(int size, long seed) {
      this.ids = new String[size];
      this.random = new SplittableRandom(seed * 31 + 7);
    }

    synchronized void observe(Payload p) {
      minStartNanos = Math.min(minStartNanos, p.minStartNanos);
      maxStartNanos = Math.max(maxStartNanos, p.maxStartNanos);
      if (ids.length == 0) return;
      for (String id : p.rootTraceIds) {
        long n = seen++;
        if (n < ids.length) {
          ids[(int) n] = id;
        } else {
          long j = random.nextLong(n + 1);
          if (j < ids.length) ids[(int) j] = id;
        }
      }
    }

    synchronized int size() {
      return (int) Math.min(seen, ids.length);
    }

    synchronized void write(Path path) {
      List<String> lines = new ArrayList<>();
      lines.add("# range " + minStartNanos + " " + maxStartNanos);
      for (int i = 0; i < size(); i++) lines.add(ids[i]);
      try {
        Files.write(path, lines);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final class Options {
    String format = "zipkin";
    URI url;
    int spans = 300_000;
    int warmupSpans = 50_000;
    int connections = 8;
    long maxSeconds = 600;
    long seed = 42;
    boolean preEncode = true;
    int sampleTraces = 1000;
    Path idsOut;
    long serverPid;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) throw new IllegalArgumentException(name + ": missing value");
        String v = args[++i];
        switch (name) {
          case "--format":
            if (!v.equals("zipkin") && !v.equals("otlp")) {
              throw new IllegalArgumentException("--format: " + v + " (expected: zipkin or otlp)");
            }
            o.format = v;
            break;
          case "--url":
            o.url = URI.create(v);
            break;
          case "--spans":
            o.spans = positive(name, v);
            break;
          case "--warmup-spans":
            o.warmupSpans = Integer.parseInt(v);
            break;
          case "--connections":
            o.connections = positive(name, v);
            break;
          case "--max-seconds":
            o.maxSeconds = positive(name, v);
            break;
          case "--seed":
            o.seed = Long.parseLong(v);
            break;
          case "--pre-encode":
            o.preEncode = Boolean.parseBoolean(v);
            break;
          case "--ids-out":
            o.idsOut = Path.of(v);
            break;
          case "--server-pid":
            o.serverPid = Long.parseLong(v);
            break;
          default:
            throw new IllegalArgumentException("unknown option: " + name);
        }
      }
      if (o.url == null) throw new IllegalArgumentException("--url: missing");
      Loopback.require(o.url);
      return o;
    }

    private static int positive(String name, String v) {
      int n = Integer.parseInt(v);
      if (n <= 0) throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
      return n;
    }
  }
}
