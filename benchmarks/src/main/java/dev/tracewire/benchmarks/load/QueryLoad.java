package dev.tracewire.benchmarks.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times trace-by-id lookups and Grafana-shaped searches, one at a time, against a Tracewire server
 * on loopback that {@link LoadGenerator} filled. Reads the trace ids and the time range the load
 * generator wrote with {@code --ids-out}. Every answer must be 200 (and a trace by id must have
 * spans), otherwise it is counted as an error.
 *
 * <p>{@code java -cp benchmarks.jar dev.tracewire.benchmarks.load.QueryLoad --base
 * http://127.0.0.1:16686 --ids /tmp/ids.txt --by-id 1000 --searches 200 --api jaeger}
 */
public final class QueryLoad {
  // RealisticLoad's services and the span names each reports
  private static final String[][] OPERATIONS = {
    {"frontend", "GET /api/cart", "GET /api/checkout", "GET /api/products/{id}", "POST /checkout"},
    {"checkout", "POST /checkout", "payment.Payment/Charge", "orders publish"},
    {"payment", "payment.Payment/Charge"},
    {"inventory", "inventory.Stock/Reserve", "orders process"},
    {"db", "SELECT stock"}
  };

  public static void main(String[] args) throws Exception {
    String base = null;
    Path idsFile = null;
    int byId = 1000;
    int searches = 200;
    String api = "jaeger";
    long seed = 7;
    long serverPid = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--base":
          base = v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
          break;
        case "--ids":
          idsFile = Path.of(v);
          break;
        case "--by-id":
          byId = Integer.parseInt(v);
          break;
        case "--searches":
          searches = Integer.parseInt(v);
          break;
        case "--api":
          if (!v.equals("jaeger") && !v.equals("rest")) {
            throw new IllegalArgumentException("--api: " + v + " (expected: jaeger or rest)");
          }
          api = v;
          break;
        case "--seed":
          seed = Long.parseLong(v);
          break;
        case "--server-pid":
          serverPid = Long.parseLong(v);
          break;
        default:
          throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    if (base == null || idsFile == null)
      throw new IllegalArgumentException("need --base and --ids");
    Loopback.require(URI.create(base));

    List<String> lines = Files.readAllLines(idsFile);
    String[] range = lines.get(0).split(" ");
    long minStartNanos = Long.parseLong(range[2]);
    long maxStartNanos = Long.parseLong(range[3]);
    List<String> ids = new ArrayList<>(lines.subList(1, lines.size()));
    if (ids.isEmpty())
      throw new IllegalArgumentException("--ids: " + idsFile + " has no trace ids");

    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    SplittableRandom random = new SplittableRandom(seed);
    System.out.printf("api=%s base=%s loadavg=%s%n", api, base, LoadGenerator.loadAverage());

    // a few untimed requests so the first timed ones do not pay for JIT and connection setup
    for (int i = 0; i < 20; i++) {
      get(client, traceUrl(base, api, ids.get(random.nextInt(ids.size()))));
    }

    Latencies byIdLatency = new Latencies();
    int byIdErrors = 0;
    for (int i = 0; i < byId; i++) {
      String id = ids.get(random.nextInt(ids.size()));
      long start = System.nanoTime();
      HttpResponse<String> r = get(client, traceUrl(base, api, id));
      byIdLatency.record(System.nanoTime() - start);
      if (r.statusCode() != 200
          || !r.body().contains("\"spanId\"") && !r.body().contains("\"spanID\"")) {
        byIdErrors++;
        if (byIdErrors <= 3) System.err.println("trace " + id + ": HTTP " + r.statusCode());
      }
    }
    report("trace_by_id", byIdLatency, byIdErrors, byId);

    Latencies searchLatency = new Latencies();
    Latencies[] byShape = new Latencies[5];
    for (int i = 0; i < byShape.length; i++) byShape[i] = new Latencies();
    int searchErrors = 0;
    for (int i = 0; i < searches; i++) {
      int shape = i % 5;
      String url = searchUrl(base, api, shape, random, minStartNanos, maxStartNanos);
      long start = System.nanoTime();
      HttpResponse<String> r = get(client, url);
      long took = System.nanoTime() - start;
      searchLatency.record(took);
      byShape[shape].record(took);
      if (r.statusCode() != 200) {
        searchErrors++;
        if (searchErrors <= 3)
          System.err.println(url + ": HTTP " + r.statusCode() + " " + r.body());
      }
    }
    report("search", searchLatency, searchErrors, searches);
    String[] shapes = {
      "service", "service+operation", "service+tag(status 500)", "service+minDuration", "op+15min"
    };
    for (int i = 0; i < byShape.length; i++) report("  search " + shapes[i], byShape[i], 0, -1);
    System.out.println("loadavg_end=" + LoadGenerator.loadAverage());
    if (serverPid > 0) System.out.println("server " + ProcMemory.describe(serverPid));
  }

  private static String traceUrl(String base, String api, String id) {
    return base + (api.equals("jaeger") ? "/api/traces/" : "/api/v1/traces/") + id;
  }

  /**
   * Shapes Grafana's Jaeger data source sends: service alone over the whole range, service and
   * operation, a tag, a minimum duration, and service and operation over a 15-minute window.
   */
  private static String searchUrl(
      String base, String api, int shape, SplittableRandom random, long minNanos, long maxNanos) {
    String[] svc = OPERATIONS[shape == 2 ? random.nextInt(2) : random.nextInt(OPERATIONS.length)];
    String service = svc[0];
    String operation = svc[1 + random.nextInt(svc.length - 1)];
    long startNanos = minNanos;
    long endNanos = maxNanos + 1_000_000_000L;
    if (shape == 4) {
      long window = 15 * 60 * 1_000_000_000L;
      long span = Math.max(1, maxNanos - minNanos - window);
      startNanos = minNanos + random.nextLong(span);
      endNanos = startNanos + window;
    }
    StringBuilder q = new StringBuilder(base);
    boolean jaeger = api.equals("jaeger");
    q.append(jaeger ? "/api/traces?service=" : "/api/v1/traces?service=").append(enc(service));
    if (shape == 1 || shape == 4) q.append("&operation=").append(enc(operation));
    if (shape == 2) {
      q.append("&tags=")
          .append(
              enc(
                  jaeger
                      ? "{\"http.response.status_code\":\"500\"}"
                      : "http.response.status_code=500"));
    }
    if (shape == 3) q.append("&minDuration=").append(enc("100ms"));
    q.append("&limit=20");
    if (jaeger) {
      q.append("&start=").append(startNanos / 1000).append("&end=").append(endNanos / 1000);
    } else {
      q.append("&start=")
          .append(startNanos / 1_000_000)
          .append("&end=")
          .append(endNanos / 1_000_000);
    }
    return q.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void report(String what, Latencies l, int errors, int count) {
    System.out.printf(
        Locale.ROOT,
        "RESULT %s n=%d errors=%d ms_p50=%.1f ms_p90=%.1f ms_p99=%.1f ms_max=%.1f%n",
        what,
        l.count(),
        errors,
        l.percentileMillis(50),
        l.percentileMillis(90),
        l.percentileMillis(99),
        l.percentileMillis(100));
  }
}
