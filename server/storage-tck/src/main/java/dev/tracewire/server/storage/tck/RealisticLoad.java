package dev.tracewire.server.storage.tck;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates realistic traffic for size and load measurements: 10-span traces over 5 services, 3–8
 * attributes per span, random 128-bit ids, mixed kinds, and per-service export batches of 512
 * spans, as an OpenTelemetry BatchSpanProcessor would send them.
 *
 * <p>{@code RealisticLoad.create(42).generate(100_000, store::write);}
 */
public final class RealisticLoad {
  private static final String[] SERVICES = {"frontend", "checkout", "payment", "inventory", "db"};
  private static final String[] ROUTES = {
    "/api/cart", "/api/checkout", "/api/products/{id}", "/api/users/{id}", "/health"
  };
  private static final int BATCH = 512;

  private final SplittableRandom random;
  private final Resource[] resources = new Resource[SERVICES.length];
  private final InstrumentationScope http =
      InstrumentationScope.create("io.opentelemetry.java-http-client", "2.31.1-alpha");
  private final InstrumentationScope grpc =
      InstrumentationScope.create("io.opentelemetry.grpc-1.6", "2.31.1-alpha");
  private final InstrumentationScope kafka =
      InstrumentationScope.create("io.opentelemetry.kafka-clients-2.6", "2.31.1-alpha");
  private final InstrumentationScope jdbc =
      InstrumentationScope.create("io.opentelemetry.jdbc", "2.31.1-alpha");
  private long clockNanos = TestSpans.EPOCH_NANOS;

  private RealisticLoad(long seed) {
    random = new SplittableRandom(seed);
    for (int i = 0; i < SERVICES.length; i++) {
      resources[i] =
          Resource.create(
              Attributes.newBuilder()
                  .put("service.name", SERVICES[i])
                  .put("service.version", "1.4." + i)
                  .put("host.name", SERVICES[i] + "-7d9f8b6c5-x2x4k")
                  .put("telemetry.sdk.name", "opentelemetry")
                  .put("telemetry.sdk.language", "java")
                  .put("telemetry.sdk.version", "1.68.0")
                  .build());
    }
  }

  public static RealisticLoad create(long seed) {
    return new RealisticLoad(seed);
  }

  /** Generates {@code spans} spans (rounded up to whole traces) and hands over export batches. */
  public void generate(int spans, Consumer<List<Span>> exporter) {
    List<List<Span>> buffers = new ArrayList<>();
    for (int i = 0; i < SERVICES.length; i++) buffers.add(new ArrayList<>());
    for (int made = 0; made < spans; made += 10) {
      for (Span s : trace()) {
        List<Span> buffer = buffers.get(serviceIndex(s.serviceName()));
        buffer.add(s);
        if (buffer.size() == BATCH) {
          exporter.accept(List.copyOf(buffer));
          buffer.clear();
        }
      }
    }
    for (List<Span> buffer : buffers) if (!buffer.isEmpty()) exporter.accept(List.copyOf(buffer));
  }

  /** One 10-span trace: frontend → checkout → (payment, inventory → db, kafka to inventory). */
  public List<Span> trace() {
    clockNanos += 1_000_000L + random.nextLong(1_000_000L); // ~500 traces/s
    TraceId traceId = TraceId.of(random.nextLong(), random.nextLong());
    long t = clockNanos;
    List<Span> spans = new ArrayList<>(10);
    boolean error = random.nextInt(50) == 0;
    String route = ROUTES[random.nextInt(ROUTES.length)];
    Span root = span(traceId, 0, 0, SpanKind.SERVER, "GET " + route, t, 80_000_000L, http, error);
    spans.add(root);
    Span feClient =
        span(
            traceId,
            root.spanId(),
            0,
            SpanKind.CLIENT,
            "POST /checkout",
            t + 1_000_000,
            60_000_000L,
            http,
            error);
    spans.add(feClient);
    Span coServer =
        span(
            traceId,
            feClient.spanId(),
            1,
            SpanKind.SERVER,
            "POST /checkout",
            t + 2_000_000,
            55_000_000L,
            http,
            error,
            answerBy(feClient));
    spans.add(coServer);
    Span payClient =
        span(
            traceId,
            coServer.spanId(),
            1,
            SpanKind.CLIENT,
            "payment.Payment/Charge",
            t + 3_000_000,
            20_000_000L,
            grpc,
            false);
    spans.add(payClient);
    spans.add(
        span(
            traceId,
            payClient.spanId(),
            2,
            SpanKind.SERVER,
            "payment.Payment/Charge",
            t + 4_000_000,
            18_000_000L,
            grpc,
            false,
            answerBy(payClient)));
    Span invClient =
        span(
            traceId,
            coServer.spanId(),
            1,
            SpanKind.CLIENT,
            "inventory.Stock/Reserve",
            t + 25_000_000,
            20_000_000L,
            grpc,
            false);
    spans.add(invClient);
    Span invServer =
        span(
            traceId,
            invClient.spanId(),
            3,
            SpanKind.SERVER,
            "inventory.Stock/Reserve",
            t + 26_000_000,
            18_000_000L,
            grpc,
            false,
            answerBy(invClient));
    spans.add(invServer);
    spans.add(
        span(
            traceId,
            invServer.spanId(),
            4,
            SpanKind.CLIENT,
            "SELECT stock",
            t + 27_000_000,
            5_000_000L,
            jdbc,
            false));
    Span producer =
        span(
            traceId,
            coServer.spanId(),
            1,
            SpanKind.PRODUCER,
            "orders publish",
            t + 50_000_000,
            2_000_000L,
            kafka,
            false);
    spans.add(producer);
    spans.add(
        span(
            traceId,
            producer.spanId(),
            3,
            SpanKind.CONSUMER,
            "orders process",
            t + 60_000_000,
            10_000_000L,
            kafka,
            false));
    return spans;
  }

  /**
   * The latest end of a server span answering {@code client}: half a millisecond before the
   * client's end, as one clock measures them. Without it a callee could end after its caller, which
   * the integrity analysis rightly reports as clock skew on most traces.
   */
  private static long answerBy(Span client) {
    return client.endEpochNanos() - 500_000L;
  }

  private Span span(
      TraceId traceId,
      long parent,
      int service,
      SpanKind kind,
      String name,
      long start,
      long typicalNanos,
      InstrumentationScope scope,
      boolean error) {
    return span(
        traceId, parent, service, kind, name, start, typicalNanos, scope, error, Long.MAX_VALUE);
  }

  private Span span(
      TraceId traceId,
      long parent,
      int service,
      SpanKind kind,
      String name,
      long start,
      long typicalNanos,
      InstrumentationScope scope,
      boolean error,
      long endBy) {
    long duration = Math.min(typicalNanos / 2 + random.nextLong(typicalNanos), endBy - start);
    Attributes.Builder a = Attributes.newBuilder();
    if (scope == http) {
      a.put("http.request.method", name.startsWith("GET") ? "GET" : "POST");
      a.put("http.route", name.substring(name.indexOf(' ') + 1));
      a.put("http.response.status_code", error ? 500L : 200L);
      a.put("url.scheme", "http");
      if (kind == SpanKind.SERVER) {
        a.put("client.address", "10.0.3." + random.nextInt(32));
        a.put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0");
      } else {
        a.put("server.address", SERVICES[service + 1]);
        a.put("server.port", 8080L);
      }
    } else if (scope == grpc) {
      a.put("rpc.system", "grpc");
      int slash = name.indexOf('/');
      a.put("rpc.service", name.substring(0, slash));
      a.put("rpc.method", name.substring(slash + 1));
      a.put("rpc.grpc.status_code", 0L);
      if (kind == SpanKind.CLIENT) a.put("server.address", name.substring(0, name.indexOf('.')));
    } else if (scope == jdbc) {
      a.put("db.system", "postgresql");
      a.put("db.namespace", "inventory");
      a.put("db.query.text", "SELECT qty FROM stock WHERE sku = ?");
      a.put("server.address", "db");
    } else {
      a.put("messaging.system", "kafka");
      a.put("messaging.destination.name", "orders");
      a.put("messaging.operation.type", kind == SpanKind.PRODUCER ? "publish" : "process");
      a.put("messaging.kafka.destination.partition", (long) random.nextInt(6));
      a.put("messaging.kafka.message.offset", random.nextLong(1L << 32));
      a.put("messaging.message.id", Long.toHexString(random.nextLong()));
    }
    Span.Builder b =
        Span.newBuilder()
            .traceId(traceId)
            .spanId(random.nextLong() | 1)
            .parentSpanId(parent)
            .name(name)
            .kind(kind)
            .startEpochNanos(start)
            .endEpochNanos(start + duration)
            .attributes(a.build())
            .flags(1)
            .resource(resources[service])
            .scope(scope);
    if (error) {
      b.status(Status.create(StatusCode.ERROR, "Internal Server Error"));
      b.events(
          List.of(
              Event.create(
                  start + duration / 2,
                  "exception",
                  Attributes.newBuilder()
                      .put("exception.type", "java.lang.IllegalStateException")
                      .put("exception.message", "card declined")
                      .build())));
    }
    return b.build();
  }

  private static int serviceIndex(String service) {
    for (int i = 0; i < SERVICES.length; i++) if (SERVICES[i].equals(service)) return i;
    throw new IllegalArgumentException("service: " + service);
  }
}
