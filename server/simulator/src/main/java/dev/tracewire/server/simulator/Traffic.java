package dev.tracewire.server.simulator;

import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A shop of twenty services and the requests that cross it, simulated one request at a time with
 * real propagation mechanics: what the caller injects, what a sidecar, gateway or broker does to
 * the headers, what the callee's extractor accepts. Faults change one of those mechanics; the
 * ground truth is derived from the cause, never from what an analysis would say. Not thread-safe.
 */
final class Traffic {
  static final long MS = 1_000_000L;
  static final long US = 1_000L;

  // the shop: a browser-facing frontend behind an Istio ingress, a mesh core, plain-OTel and
  // Brave services around it, and five brokers (Kafka, RabbitMQ, NATS, MQTT, Redis)
  static final Service FRONTEND = Service.kit("frontend", true, "10.0.1.10", 8080);
  static final Service CHECKOUT = Service.kit("checkout", true, "10.0.1.11", 8080);
  static final Service CART = Service.otel("cart", "10.0.1.12", 9090);
  static final Service CATALOG = Service.brave("catalog", false, "10.0.1.13", 8080);

  /** Kit with {@code otel.tracewire.precedence=tracecontext}: reads nothing else. */
  static final Service PRICING =
      new Service("pricing", Service.Sdk.KIT, false, "10.0.1.14", 9090, List.of("tracecontext"));

  static final Service RECOMMENDATIONS = Service.brave("recommendations", false, "10.0.1.15", 8080);
  static final Service PAYMENTS = Service.kit("payments", true, "10.0.1.16", 8080);
  static final Service FRAUD = Service.brave("fraud", true, "10.0.1.17", 8080);
  static final Service INVENTORY = Service.otel("inventory", "10.0.1.18", 9090);
  static final Service ORDERS = Service.kit("orders", false, "10.0.1.19", 9090);
  static final Service SHIPPING = Service.kit("shipping", false, "10.0.1.20", 8080);
  static final Service BILLING = Service.otel("billing", "10.0.1.21", 8080);
  static final Service NOTIFICATIONS = Service.kit("notifications", false, "10.0.1.22", 8080);
  static final Service EMAIL = Service.otel("email", "10.0.1.23", 8080);
  static final Service AUDIT = Service.kit("audit", false, "10.0.1.24", 8080);
  static final Service COMPLIANCE = Service.otel("compliance", "10.0.1.25", 8080);
  static final Service LEDGER = Service.kit("ledger", false, "10.0.1.27", 8080);
  static final Service TRACKING = Service.kit("tracking", false, "10.0.1.28", 8080);
  static final Service OUTBOX_RELAY = Service.kit("outbox-relay", false, "10.0.1.29", 8080);
  static final Service INVOICING = Service.otel("invoicing", "10.0.1.30", 8080);
  static final Service LOYALTY =
      new Service("loyalty", Service.Sdk.NONE, false, "10.0.1.26", 8080, List.of());
  static final Service INGRESS =
      new Service(
          "istio-ingressgateway.istio-system",
          Service.Sdk.ENVOY,
          true,
          "10.0.0.2",
          8080,
          List.of());

  static final List<Service> SERVICES =
      List.of(
          FRONTEND,
          CHECKOUT,
          CART,
          CATALOG,
          PRICING,
          RECOMMENDATIONS,
          PAYMENTS,
          FRAUD,
          INVENTORY,
          ORDERS,
          SHIPPING,
          BILLING,
          NOTIFICATIONS,
          EMAIL,
          AUDIT,
          COMPLIANCE,
          LEDGER,
          TRACKING,
          OUTBOX_RELAY,
          INVOICING);

  private static final Map<Service, Service> SIDECARS = new java.util.HashMap<>();

  static {
    for (Service s : SERVICES) {
      if (s.mesh) {
        SIDECARS.put(
            s, new Service(s.name + ".shop", Service.Sdk.ENVOY, true, s.ip, 15006, List.of()));
      }
    }
  }

  /**
   * A request/response call's shape: HTTP method, path and route template; for gRPC the method, the
   * service (in {@code path}) and the full method name (in {@code route}).
   */
  record Rpc(boolean grpc, String method, String path, String route) {
    static Rpc http(String method, String path, String route) {
      return new Rpc(false, method, path, route);
    }

    static Rpc grpc(String service, String method) {
      return new Rpc(true, method, service, service + "/" + method);
    }
  }

  /** Where a service is running now: its span, trace, clock and sampling decision. */
  record Ctx(
      Service svc, TraceId traceId, long spanId, long skew, boolean sampled, String requestId) {
    Ctx child(long spanId) {
      return new Ctx(svc, traceId, spanId, skew, sampled, requestId);
    }
  }

  /** Runs the callee's work from {@code start} (true time); returns when it ends. */
  interface Body {
    long run(Ctx ctx, long start);
  }

  private final Random rnd;
  private final EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
  private final long[] kafkaOffsets = new long[6];
  private long outboxRowId;
  private int streamSeq;
  private final List<SimSpan[]> billingPending = new ArrayList<>();
  private int billingBatch;

  // the request being simulated
  private List<SimSpan> spans;
  private List<Truth> truth;

  Traffic(long seed, Map<Fault, Double> rates) {
    this.rnd = new Random(seed);
    this.rates.putAll(rates);
    for (int i = 0; i < kafkaOffsets.length; i++) kafkaOffsets[i] = 1000 + rnd.nextInt(50_000);
    billingBatch = 1 + rnd.nextInt(4);
    outboxRowId = 100_000 + rnd.nextInt(900_000);
  }

  /** Spans and truth of one request arriving at {@code start} (true time, epoch nanos). */
  void request(long start, List<SimSpan> spansOut, List<Truth> truthOut) {
    spans = spansOut;
    truth = truthOut;
    double r = rnd.nextDouble();
    if (r < 0.42) {
      ingress(
          start, Rpc.http("GET", "/products/" + rnd.nextInt(5000), "/products/{id}"), this::browse);
    } else if (r < 0.77) {
      ingress(start, Rpc.http("POST", "/checkout", "/checkout"), this::checkoutPage);
    } else if (r < 0.88) {
      ingress(start, Rpc.http("GET", "/cart", "/cart"), this::cartPage);
    } else if (r < 0.925) {
      scheduledJob(start);
    } else if (r < 0.94) {
      priceRefresh(start);
    } else {
      webhook(start);
    }
    spans = null;
    truth = null;
  }

  // ---- scenarios

  private void ingress(long start, Rpc rpc, Body body) {
    // the browser sends no trace headers: the ingress gateway starts the trace (a legitimate root)
    TraceId trace = newTraceId128();
    String requestId = uuid();
    Service sidecar = SIDECARS.get(FRONTEND);
    SimSpan gw = span(INGRESS, trace, SpanId.NONE, SpanKind.SERVER, start, true);
    proxyTags(gw, "outbound|8080||" + FRONTEND.host(), rpc, FRONTEND, requestId);
    long t = start + latency();
    SimSpan in = span(sidecar, trace, gw.spanId, SpanKind.SERVER, t, true);
    proxyTags(in, "inbound|8080||", rpc, FRONTEND, requestId);
    t += latency();
    SimSpan entry = span(FRONTEND, trace, in.spanId, SpanKind.SERVER, t, true);
    entry.remoteParent = true;
    serverTags(entry, rpc, "10.0.0.2");
    kitReceived(
        entry,
        List.of("tracecontext", "b3multi", "xrequestid"),
        List.of(),
        "tracecontext",
        List.of(),
        in.spanId,
        requestId);
    Ctx ctx = new Ctx(FRONTEND, trace, entry.spanId, 0, true, requestId);
    long end = body.run(ctx, t + work(0.3));
    entry.end = end;
    in.end = end + latency();
    gw.end = in.end + latency();
  }

  private long browse(Ctx ctx, long t) {
    int id = rnd.nextInt(5000);
    t =
        call(
            ctx,
            t,
            CATALOG,
            Rpc.http("GET", "/api/products/" + id, "/api/products/{id}"),
            this::catalog);
    // a first attempt that never reached recommendations, then the retry that did
    if (rnd.nextDouble() < 0.05) t = failedAttempt(ctx, t, RECOMMENDATIONS, recoRpc(id));
    t = call(ctx, t, RECOMMENDATIONS, recoRpc(id), this::recommendations);
    t = call(ctx, t, CART, Rpc.grpc("shop.CartService", "GetCart"), this::cart);
    return t + work(0.2);
  }

  private static Rpc recoRpc(int id) {
    return Rpc.http("GET", "/api/recommendations/" + id, "/api/recommendations/{productId}");
  }

  private long checkoutPage(Ctx ctx, long t) {
    t = call(ctx, t, CHECKOUT, Rpc.http("POST", "/api/checkout", "/api/checkout"), this::checkout);
    return t + work(0.2);
  }

  private long cartPage(Ctx ctx, long t) {
    t = call(ctx, t, CART, Rpc.grpc("shop.CartService", "GetCart"), this::cart);
    return t + work(0.2);
  }

  private long catalog(Ctx ctx, long t) {
    return leaf(ctx, t, "postgresql", "SELECT shop.products") + work(0.3);
  }

  private long recommendations(Ctx ctx, long t) {
    int id = rnd.nextInt(5000);
    t =
        call(
            ctx,
            t + work(0.2),
            CATALOG,
            Rpc.http("GET", "/api/products/" + id, "/api/products/{id}"),
            this::catalog);
    return t + work(0.5);
  }

  private long cart(Ctx ctx, long t) {
    return leaf(ctx, t, "redis", "GET") + work(0.1);
  }

  private long checkout(Ctx ctx, long t) {
    t = call(ctx, t + work(0.2), CART, Rpc.grpc("shop.CartService", "GetCart"), this::cart);
    t = call(ctx, t, PRICING, Rpc.grpc("shop.PricingService", "Quote"), (c, s) -> s + work(1.5));
    t = call(ctx, t, INVENTORY, Rpc.grpc("shop.InventoryService", "Reserve"), this::inventory);
    t = call(ctx, t, PAYMENTS, Rpc.http("POST", "/api/charges", "/api/charges"), this::payments);
    t = call(ctx, t, ORDERS, Rpc.grpc("shop.OrderService", "CreateOrder"), this::orders);
    t = publish(ctx, t, "mqtt", "audit/checkout", List.of(AUDIT, COMPLIANCE));
    if (roll(Fault.UNPAIRED_EXIT)) t = unpairedCall(ctx, t);
    return t + work(0.3);
  }

  private long inventory(Ctx ctx, long t) {
    return leaf(ctx, t, "postgresql", "UPDATE shop.stock") + work(0.2);
  }

  private long payments(Ctx ctx, long t) {
    t =
        call(
            ctx,
            t + work(0.3),
            FRAUD,
            Rpc.http("POST", "/api/score", "/api/score"),
            (c, s) -> s + work(2));
    t = leaf(ctx, t, "postgresql", "INSERT shop.charges");
    // settled charges also go to the ledger's Redis stream (consumer group "ledger")
    if (rnd.nextDouble() < 0.3) t = kitPublish(ctx, t, Carrier.REDIS_STREAM, "charges", LEDGER);
    return t + work(0.3);
  }

  private long orders(Ctx ctx, long t) {
    t = leaf(ctx, t + work(0.2), "postgresql", "INSERT shop.orders");
    // invoices leave through a transactional outbox: the row commits with the order
    if (rnd.nextDouble() < 0.3) t = kitPublish(ctx, t, Carrier.OUTBOX, "invoices", OUTBOX_RELAY);
    t = publish(ctx, t, "kafka", "orders.created", List.of(SHIPPING));
    t = publish(ctx, t, "rabbitmq", "notifications", List.of(NOTIFICATIONS));
    return t + work(0.2);
  }

  private long notifications(Ctx ctx, long t) {
    return publish(ctx, t + work(0.5), "nats", "email.send", List.of(EMAIL)) + work(0.2);
  }

  private long shipping(Ctx ctx, long t) {
    // some orders ship at once: a CloudEvent over Kafka (no Kafka instrumentation on that producer)
    if (rnd.nextDouble() < 0.3) t = kitPublish(ctx, t, Carrier.CLOUDEVENTS, "", TRACKING);
    return t;
  }

  private long relay(Ctx ctx, long t) {
    return publish(ctx, t + work(0.1), "nats", "invoices", List.of(INVOICING));
  }

  private void priceRefresh(long start) {
    // a scheduled job (a legitimate new root) fans price changes out over Redis Pub/Sub
    TraceId trace = newTraceId128();
    SimSpan job = span(PRICING, trace, SpanId.NONE, SpanKind.INTERNAL, start, true);
    job.name = "price-refresh";
    job.scope = "io.opentelemetry.spring-scheduling-3.1";
    job.put("code.function.name", "dev.shop.pricing.Refresh.run");
    Ctx ctx = new Ctx(PRICING, trace, job.spanId, 0, true, null);
    long t = leaf(ctx, start + work(0.3), "postgresql", "SELECT shop.prices");
    job.end = kitPublish(ctx, t, Carrier.REDIS_PUBSUB, "prices", FRONTEND, CHECKOUT) + work(0.2);
  }

  private void scheduledJob(long start) {
    // a scheduled job starts its own trace: a legitimate new root
    TraceId trace = newTraceId128();
    SimSpan job = span(INVENTORY, trace, SpanId.NONE, SpanKind.INTERNAL, start, true);
    job.name = "inventory-sync";
    job.scope = "io.opentelemetry.spring-scheduling-3.1";
    job.put("code.function.name", "dev.shop.inventory.Sync.run");
    Ctx ctx = new Ctx(INVENTORY, trace, job.spanId, 0, true, null);
    job.end = leaf(ctx, start + work(0.3), "postgresql", "SELECT shop.stock") + work(1);
  }

  private void webhook(long start) {
    // the bank calls in from outside with no trace headers: a legitimate new root
    TraceId trace = newTraceId128();
    SimSpan entry = span(PAYMENTS, trace, SpanId.NONE, SpanKind.SERVER, start, true);
    serverTags(entry, Rpc.http("POST", "/webhooks/bank", "/webhooks/bank"), "203.0.113.7");
    kitReceived(entry, List.of(), List.of(), null, List.of(), SpanId.NONE, null);
    Ctx ctx = new Ctx(PAYMENTS, trace, entry.spanId, 0, true, null);
    entry.end = leaf(ctx, start + work(0.3), "postgresql", "UPDATE shop.charges") + work(0.2);
  }

  // ---- request/response hops

  /** A call from {@code caller} to {@code callee}; returns when the response is back. */
  private long call(Ctx caller, long t, Service callee, Rpc rpc, Body body) {
    Fault fault = pickHopFault(caller, callee, false);
    SimSpan exit =
        span(caller.svc, caller.traceId, caller.spanId, SpanKind.CLIENT, t, caller.sampled);
    exit.skew = caller.skew;
    clientTags(exit, rpc, callee);
    if (fault == Fault.MISSING_SPAN) exit.reported = false;

    List<String> sent = formatsSent(caller.svc, fault, callee);
    kitInjected(exit, caller.svc, sent, caller.requestId != null && !sent.isEmpty());
    String requestId =
        sent.isEmpty() || caller.svc.sdk != Service.Sdk.KIT ? null : caller.requestId;
    boolean mesh = caller.svc.mesh && callee.mesh;
    long now = t + 50 * US;

    // the headers on the wire, and the span they name as parent
    TraceId wireTrace = sent.isEmpty() ? null : caller.traceId;
    long wireParent = exit.spanId;
    boolean wireSampled = caller.sampled;
    SimSpan out = null;
    SimSpan in = null;
    boolean exact = false;
    if (mesh) {
      // the caller's sidecar: joins the trace the app sent, or starts one when nothing came
      if (requestId == null) requestId = uuid();
      TraceId outTrace = wireTrace != null ? wireTrace : newTraceId128();
      out =
          span(
              SIDECARS.get(caller.svc),
              outTrace,
              wireTrace != null ? wireParent : SpanId.NONE,
              SpanKind.CLIENT,
              now,
              wireSampled || wireTrace == null);
      out.skew = caller.skew;
      proxyTags(out, "outbound|" + callee.port + "||" + callee.host(), rpc, callee, requestId);
      out.remoteIp = callee.ip;
      out.remotePort = callee.port;
      wireTrace = outTrace;
      wireParent = out.spanId;
      wireSampled = out.reported;
      sent = List.of("tracecontext", "b3multi");
      now += latency();
    } else {
      now += latency();
    }
    if (fault == Fault.CONTEXT_STRIPPED) {
      // a gateway that drops trace headers it does not trust; it keeps x-request-id
      wireTrace = null;
      sent = List.of();
    }
    if (mesh) {
      // x-request-id pairs exactly when the caller's sidecar span holding it sits under the exit
      exact = out.reported && out.traceId.equals(caller.traceId);
      // the callee's sidecar: joins what arrived, or starts a new trace
      TraceId inTrace = wireTrace != null ? wireTrace : newTraceId128();
      in =
          span(
              SIDECARS.get(callee),
              inTrace,
              wireTrace != null ? wireParent : SpanId.NONE,
              SpanKind.SERVER,
              now,
              wireTrace != null ? wireSampled : true);
      proxyTags(in, "inbound|" + callee.port + "||", rpc, callee, requestId);
      in.remoteIp = caller.svc.ip;
      wireTrace = inTrace;
      wireParent = in.spanId;
      wireSampled = in.reported;
      sent = List.of("tracecontext", "b3multi");
      now += 100 * US;
    }
    Entry e =
        enter(
            callee,
            fault,
            sent,
            wireTrace,
            wireParent,
            wireSampled,
            requestId,
            now,
            SpanKind.SERVER);
    serverTags(e.span, rpc, caller.svc.ip);
    if (fault == Fault.CLOCK_SKEW) e.span.skew = e.ctx.skew;
    if (!mesh && e.remoteParentRecorded) exact = true; // in a mesh it names the sidecar

    long end = body.run(e.ctx, now + work(0.1));
    e.span.end = end;
    now = end;
    if (in != null) in.end = now + 50 * US;
    now += latency();
    if (out != null) out.end = now;
    exit.end = now + 50 * US;
    hopTruth(exit, e, fault, rpc.grpc ? "grpc" : "http", exact);
    return exit.end;
  }

  /** An attempt that never reached the peer (connection refused): ERROR, no status code. */
  private long failedAttempt(Ctx caller, long t, Service callee, Rpc rpc) {
    SimSpan exit =
        span(caller.svc, caller.traceId, caller.spanId, SpanKind.CLIENT, t, caller.sampled);
    exit.skew = caller.skew;
    clientTags(exit, rpc, callee);
    exit.attributes.removeIf(a -> a[0].equals("http.response.status_code"));
    kitInjected(exit, caller.svc, caller.svc.injects(), caller.requestId != null);
    exit.error = "java.net.ConnectException: Connection refused";
    exit.end = t + work(0.5);
    return exit.end + work(20); // backoff
  }

  /** A call to a peer that reports nothing: informational, the analysis cannot pair it. */
  private long unpairedCall(Ctx caller, long t) {
    Rpc rpc = Rpc.http("POST", "/points", "/points");
    SimSpan exit =
        span(caller.svc, caller.traceId, caller.spanId, SpanKind.CLIENT, t, caller.sampled);
    exit.skew = caller.skew;
    clientTags(exit, rpc, LOYALTY);
    kitInjected(exit, caller.svc, caller.svc.injects(), caller.requestId != null);
    exit.end = t + work(4);
    if (exit.reported) {
      truth.add(
          new Truth(
              Fault.UNPAIRED_EXIT.wireName(),
              List.of(exit.traceId.toHex()),
              List.of(SpanId.toHex(exit.spanId)),
              caller.svc.name,
              LOYALTY.name,
              "http",
              Fault.UNPAIRED_EXIT.blame(),
              "heuristic",
              diagnostics(caller.svc, LOYALTY)));
    }
    return exit.end;
  }

  /** A database or cache call: a leaf peer that reports no spans, never a break. */
  private long leaf(Ctx ctx, long t, String system, String statement) {
    SimSpan s = span(ctx.svc, ctx.traceId, ctx.spanId, SpanKind.CLIENT, t, ctx.sampled);
    s.skew = ctx.skew;
    s.name = statement;
    if (system.equals("redis")) {
      s.scope = "io.opentelemetry.lettuce-5.1";
      s.put("db.system.name", "redis").put("db.operation.name", statement);
      s.put("server.address", "redis.shop.svc.cluster.local").put("server.port", 6379L);
    } else {
      s.scope = "io.opentelemetry.jdbc";
      s.put("db.system.name", "postgresql").put("db.query.text", statement + " WHERE id = ?");
      s.put("db.namespace", "shop");
      s.put("server.address", "postgres.shop.svc.cluster.local").put("server.port", 5432L);
    }
    if (ctx.svc.sdk == Service.Sdk.BRAVE) {
      s.attributes.clear();
      s.name = statement.toLowerCase(java.util.Locale.ROOT);
      s.put("db.system", system);
      s.remoteService = system;
      s.remoteIp = "10.0.3.4";
    }
    s.end = t + work(system.equals("redis") ? 0.2 : 1.2);
    return s.end;
  }

  // ---- messaging hops

  /** Publishes one message; every subscriber consumes it later. Returns when publish returns. */
  private long publish(
      Ctx producer, long t, String system, String destination, List<Service> subscribers) {
    Service first = subscribers.get(0);
    Fault fault = pickHopFault(producer, first, true);
    SimSpan p =
        span(
            producer.svc,
            producer.traceId,
            producer.spanId,
            SpanKind.PRODUCER,
            t,
            producer.sampled);
    p.skew = producer.skew;
    p.name = destination + " publish";
    p.scope =
        system.equals("rabbitmq")
            ? "io.opentelemetry.rabbitmq-2.7"
            : system.equals("kafka")
                ? "io.opentelemetry.kafka-clients-0.11"
                : "dev.tracewire." + system;
    p.put("messaging.system", system).put("messaging.destination.name", destination);
    p.put("messaging.operation.type", "publish");
    String messageId = null;
    int partition = -1;
    long offset = -1;
    switch (system) {
      case "kafka":
        partition = rnd.nextInt(kafkaOffsets.length);
        offset = kafkaOffsets[partition]++;
        p.put("messaging.client.id", "producer-1");
        p.put("messaging.kafka.message.key", "order-" + rnd.nextInt(1_000_000));
        p.put("messaging.destination.partition.id", Integer.toString(partition));
        p.put("messaging.kafka.message.offset", offset);
        break;
      case "rabbitmq":
        p.put("messaging.rabbitmq.destination.routing_key", "order.confirmed");
        p.put("network.peer.address", "10.0.2.5").put("network.peer.port", 5672L);
        if (producer.svc.sdk == Service.Sdk.KIT) {
          messageId = uuid();
          p.put("messaging.message.id", messageId);
        }
        break;
      case "nats":
        p.put("server.address", "nats.shop.svc.cluster.local").put("server.port", 4222L);
        break;
      default:
        p.put("server.address", "mosquitto.shop.svc.cluster.local").put("server.port", 1883L);
        break;
    }
    if (fault == Fault.MISSING_SPAN) p.reported = false;
    List<String> sent = formatsSent(producer.svc, fault, first);
    if (fault == Fault.FORMAT_MISMATCH) {
      for (Service s : subscribers) {
        if (s.foreignFormat() != null) sent = List.of(s.foreignFormat());
      }
    }
    kitInjected(p, producer.svc, sent, false);
    p.end = t + work(0.4);
    if (fault == Fault.CONTEXT_STRIPPED) sent = List.of(); // a bridge or plugin that drops headers
    boolean first1 = true;
    for (Service sub : subscribers) {
      Fault f =
          first1
              ? fault
              : (fault == Fault.CONTEXT_NOT_EXTRACTED || fault == Fault.CONTEXT_CONFLICT
                  ? null
                  : fault);
      first1 = false;
      long start = t + 2 * MS + (long) (rnd.nextDouble() * 25 * MS);
      Entry e =
          enter(
              sub,
              f,
              sent,
              sent.isEmpty() ? null : producer.traceId,
              p.spanId,
              producer.sampled,
              null,
              start,
              SpanKind.CONSUMER);
      SimSpan c = e.span;
      c.name = destination + " process";
      c.scope = p.scope;
      c.put("messaging.system", system).put("messaging.destination.name", destination);
      c.put("messaging.operation.type", "process");
      boolean exact = e.remoteParentRecorded;
      if (partition >= 0) {
        c.put("messaging.consumer.group.name", sub.name);
        c.put("messaging.destination.partition.id", Integer.toString(partition));
        c.put("messaging.kafka.message.offset", offset);
        exact = true;
      }
      if (messageId != null && sub.sdk == Service.Sdk.KIT) {
        c.put("messaging.message.id", messageId);
        exact = true;
      }
      long end = start + work(0.3);
      if (sub == NOTIFICATIONS) end = notifications(e.ctx, end);
      if (sub == SHIPPING) end = shipping(e.ctx, end);
      c.end = end + work(0.2);
      hopTruth(p, e, f, system, exact);
    }
    if (system.equals("kafka") && p.reported) billing(p);
    return p.end;
  }

  /**
   * How one of the kit's pub/sub transports carries a message, and the faults that can happen to it
   * there: nothing between an outbox row, a Redis stream entry or a Pub/Sub envelope and its reader
   * rewrites trace fields (no stripping, no conflict), and every subscriber runs the kit, which
   * reads every format (no mismatch).
   */
  enum Carrier {
    REDIS_STREAM(
        "redis",
        "redis",
        EnumSet.of(Fault.CONTEXT_NOT_INJECTED, Fault.CONTEXT_NOT_EXTRACTED, Fault.MISSING_SPAN)),
    REDIS_PUBSUB(
        "redis",
        "redis",
        EnumSet.of(Fault.CONTEXT_NOT_INJECTED, Fault.CONTEXT_NOT_EXTRACTED, Fault.MISSING_SPAN)),
    /** Over Kafka; a bridge re-publishing events may drop or add extension attributes. */
    CLOUDEVENTS(
        "cloudevents",
        "messaging",
        EnumSet.of(
            Fault.CONTEXT_NOT_INJECTED,
            Fault.CONTEXT_STRIPPED,
            Fault.CONTEXT_NOT_EXTRACTED,
            Fault.CONTEXT_CONFLICT,
            Fault.MISSING_SPAN)),
    OUTBOX(
        "outbox",
        "messaging",
        EnumSet.of(Fault.CONTEXT_NOT_INJECTED, Fault.CONTEXT_NOT_EXTRACTED, Fault.MISSING_SPAN));

    final String system;

    /** The analysis' name for it: brokers it has no name for are {@code messaging}. */
    final String transport;

    final Set<Fault> faults;

    Carrier(String system, String transport, Set<Fault> faults) {
      this.system = system;
      this.transport = transport;
      this.faults = faults;
    }
  }

  static final String SHIPMENT_CREATED = "com.shop.shipment.created";

  /**
   * One message over a kit transport (Redis Streams or Pub/Sub, CloudEvents, an outbox row) to
   * every subscriber; returns when the publish returns.
   */
  private long kitPublish(
      Ctx producer, long t, Carrier c, String destination, Service... subscribers) {
    Fault fault = pickHopFault(producer, subscribers[0], true, c);
    SimSpan p =
        span(
            producer.svc,
            producer.traceId,
            producer.spanId,
            SpanKind.PRODUCER,
            t,
            producer.sampled);
    p.skew = producer.skew;
    p.scope = "dev.tracewire." + c.system;
    String messageId = null;
    List<Object[]> both = new ArrayList<>(6); // what publish and process spans both record
    switch (c) {
      case REDIS_STREAM:
        // an entry id: the server's milliseconds, then a sequence within that millisecond
        messageId = (t / MS) + "-" + (streamSeq++ & 7);
        both.add(new Object[] {"messaging.redis.kind", "stream"});
        break;
      case REDIS_PUBSUB:
        both.add(new Object[] {"messaging.redis.kind", "pubsub"});
        both.add(new Object[] {"messaging.message.body.size", (long) (120 + rnd.nextInt(400))});
        break;
      case CLOUDEVENTS:
        messageId = uuid();
        String order = "order-" + rnd.nextInt(1_000_000);
        both.add(new Object[] {"cloudevents.event_id", messageId});
        both.add(new Object[] {"cloudevents.event_source", "/" + producer.svc.name});
        both.add(new Object[] {"cloudevents.event_type", SHIPMENT_CREATED});
        both.add(new Object[] {"cloudevents.event_subject", order});
        both.add(new Object[] {"cloudevents.event_spec_version", "1.0"});
        break;
      default:
        messageId = Long.toString(outboxRowId++);
        break;
    }
    messagingTags(p, c, destination, "publish", both);
    if (messageId != null) p.put("messaging.message.id", messageId);
    if (fault == Fault.MISSING_SPAN) p.reported = false;
    List<String> written = formatsSent(producer.svc, fault, subscribers[0]);
    kitInjected(p, producer.svc, written, false);
    List<String> sent = written;
    if (c == Carrier.CLOUDEVENTS) {
      // only valid attribute names ride an event: traceparent and b3 do, x-b3-* cannot
      sent = new ArrayList<>(written);
      sent.retainAll(List.of("tracecontext", "b3"));
    }
    p.end = t + work(c == Carrier.OUTBOX ? 0.8 : 0.3); // the outbox INSERT
    if (fault == Fault.CONTEXT_STRIPPED) sent = List.of(); // a bridge keeping core attributes
    boolean first = true;
    for (Service sub : subscribers) {
      Fault f =
          first
              ? fault
              : (fault == Fault.CONTEXT_NOT_EXTRACTED || fault == Fault.CONTEXT_CONFLICT
                  ? null
                  : fault);
      first = false;
      long start;
      long delivered = 1;
      switch (c) {
        case REDIS_PUBSUB:
          start = t + 300 * US + (long) (rnd.nextDouble() * 2 * MS);
          break;
        case OUTBOX:
          // the relay polls for committed rows
          start = t + 20 * MS + (long) (rnd.nextDouble() * 500 * MS);
          break;
        case REDIS_STREAM:
          start = t + MS + (long) (rnd.nextDouble() * 20 * MS);
          if (rnd.nextDouble() < 0.02) {
            // the first reader died before XACK: another reclaims the pending entry (XAUTOCLAIM)
            start += 2_000 * MS + (long) (rnd.nextDouble() * 6_000 * MS);
            delivered = 2;
          }
          break;
        default:
          start = t + 2 * MS + (long) (rnd.nextDouble() * 25 * MS);
          break;
      }
      Entry e =
          enter(
              sub,
              f,
              sent,
              sent.isEmpty() ? null : producer.traceId,
              p.spanId,
              producer.sampled,
              null,
              start,
              SpanKind.CONSUMER);
      SimSpan s = e.span;
      if (c == Carrier.CLOUDEVENTS) {
        // b3 multi cannot ride an event: a conflicting context arrives as single b3
        for (Object[] kv : s.attributes) {
          if (kv[1] instanceof List<?> l && l.contains("b3multi")) {
            List<String> fixed = new ArrayList<>();
            for (Object o : l) fixed.add(o.equals("b3multi") ? "b3" : (String) o);
            kv[1] = fixed;
          }
        }
      }
      messagingTags(s, c, destination, "process", both);
      if (c == Carrier.REDIS_STREAM) {
        s.put("messaging.consumer.group.name", sub.name);
        s.put("messaging.redis.stream.delivered_count", delivered);
      }
      if (messageId != null) s.put("messaging.message.id", messageId);
      long end = start + work(0.3);
      if (sub == OUTBOX_RELAY) end = relay(e.ctx, end);
      s.end = end + work(0.1);
      hopTruth(p, e, f, c.transport, messageId != null || e.remoteParentRecorded);
    }
    return p.end;
  }

  /** Names and attributes as the kit's messaging instrumenters write them. */
  private static void messagingTags(
      SimSpan s, Carrier c, String destination, String operation, List<Object[]> both) {
    String verb = operation.equals("publish") ? "create" : "process";
    s.name =
        c == Carrier.CLOUDEVENTS ? verb + " " + SHIPMENT_CREATED : destination + " " + operation;
    s.scope = "dev.tracewire." + c.system;
    s.put("messaging.system", c.system);
    if (!destination.isEmpty()) s.put("messaging.destination.name", destination);
    s.put("messaging.operation.type", operation);
    for (Object[] kv : both) s.put((String) kv[0], kv[1]);
  }

  /** billing consumes orders.created in batches: one span per batch, linked to each producer. */
  private void billing(SimSpan producer) {
    billingPending.add(new SimSpan[] {producer});
    if (billingPending.size() < billingBatch) return;
    long start = 0;
    for (SimSpan[] r : billingPending) start = Math.max(start, r[0].end);
    start += 3 * MS + (long) (rnd.nextDouble() * 20 * MS);
    TraceId trace = newTraceId128();
    SimSpan batch = span(BILLING, trace, SpanId.NONE, SpanKind.CONSUMER, start, true);
    batch.name = "orders.created process";
    batch.scope = "io.opentelemetry.kafka-clients-0.11";
    batch.put("messaging.system", "kafka").put("messaging.destination.name", "orders.created");
    batch.put("messaging.operation.type", "process");
    batch.put("messaging.batch.message_count", (long) billingPending.size());
    batch.put("messaging.consumer.group.name", "billing");
    for (SimSpan[] r : billingPending) {
      SimSpan p = r[0];
      batch.links.add(Link.create(p.traceId, p.spanId, Attributes.empty()));
      if (p.reportedStart() - batch.reportedStart() > MS) {
        add(Fault.CLOCK_SKEW, List.of(p, batch), p.service.name, BILLING.name, "kafka", "exact");
      }
      truth.add(
          new Truth(
              Truth.INTACT,
              List.of(p.traceId.toHex(), trace.toHex()),
              List.of(SpanId.toHex(p.spanId), SpanId.toHex(batch.spanId)),
              p.service.name,
              BILLING.name,
              "kafka",
              "",
              "exact",
              diagnostics(p.service, BILLING)));
    }
    batch.end = start + work(2);
    billingPending.clear();
    billingBatch = 1 + rnd.nextInt(4);
  }

  // ---- the callee's side

  /** The entry span a callee starts, and the context its work runs in. */
  record Entry(SimSpan span, Ctx ctx, boolean joined, boolean remoteParentRecorded) {}

  private Entry enter(
      Service callee,
      Fault fault,
      List<String> arrived,
      TraceId wireTrace,
      long wireParent,
      boolean wireSampled,
      String requestId,
      long start,
      SpanKind kind) {
    List<String> accepted = new ArrayList<>(2);
    if (wireTrace != null) {
      for (String f : callee.accepts) {
        if (arrived.contains(f)) accepted.add(f);
      }
    }
    boolean join = !accepted.isEmpty() && fault != Fault.CONTEXT_NOT_EXTRACTED;
    boolean sampled = join ? wireSampled : true;
    if (fault == Fault.SAMPLING_SPLIT) sampled = false; // its own sampler said no
    TraceId trace =
        join ? wireTrace : callee.sdk == Service.Sdk.BRAVE ? newTraceId64() : newTraceId128();
    SimSpan s = span(callee, trace, join ? wireParent : SpanId.NONE, kind, start, sampled);
    s.remoteParent = join;
    long skew =
        fault == Fault.CLOCK_SKEW ? (rnd.nextBoolean() ? 1 : -1) * (5 + rnd.nextInt(35)) * MS : 0;
    List<String> received = new ArrayList<>(arrived);
    List<String> conflict = List.of();
    if (fault == Fault.CONTEXT_CONFLICT && !accepted.isEmpty()) {
      // something on the path wrote b3 of another trace next to the right traceparent
      if (!received.contains("b3multi")) received.add("b3multi");
      conflict = List.of("b3multi");
    }
    if (requestId != null) received.add("xrequestid");
    String used = accepted.isEmpty() ? null : accepted.get(0);
    long remoteParent = used == null ? SpanId.NONE : wireParent;
    kitReceived(s, received, List.of(), used, conflict, remoteParent, requestId);
    boolean recorded = callee.sdk == Service.Sdk.KIT && remoteParent != SpanId.NONE;
    Ctx ctx = new Ctx(callee, trace, s.spanId, skew, sampled, requestId);
    return new Entry(s, ctx, join, recorded);
  }

  // ---- faults and truth

  private Fault pickHopFault(Ctx caller, Service callee, boolean messaging) {
    return pickHopFault(caller, callee, messaging, null);
  }

  private Fault pickHopFault(Ctx caller, Service callee, boolean messaging, Carrier carrier) {
    if (!caller.sampled) return null;
    for (Map.Entry<Fault, Double> r : rates.entrySet()) {
      Fault f = r.getKey();
      if (f == Fault.UNPAIRED_EXIT) continue;
      if (r.getValue() <= 0 || rnd.nextDouble() >= r.getValue()) continue;
      if (carrier != null && !carrier.faults.contains(f)) continue;
      if (applies(f, caller.svc, callee, messaging)) return f;
    }
    return null;
  }

  private static boolean applies(Fault f, Service caller, Service callee, boolean messaging) {
    switch (f) {
      case FORMAT_MISMATCH:
        return callee.foreignFormat() != null || messaging;
      case CONTEXT_CONFLICT:
        return callee.sdk
            == Service.Sdk.KIT; // only an extractor that reads every format can see it
      case SAMPLING_SPLIT:
      case CLOCK_SKEW:
        return !messaging;
      default:
        return true;
    }
  }

  private boolean roll(Fault f) {
    Double r = rates.get(f);
    return r != null && r > 0 && rnd.nextDouble() < r;
  }

  private List<String> formatsSent(Service caller, Fault fault, Service callee) {
    if (fault == Fault.CONTEXT_NOT_INJECTED) return List.of();
    if (fault == Fault.FORMAT_MISMATCH) {
      String foreign = callee.foreignFormat();
      return List.of(foreign == null ? "b3multi" : foreign);
    }
    return caller.injects();
  }

  /** Truth for one (exit, entry) pair, by cause. */
  private void hopTruth(SimSpan exit, Entry e, Fault fault, String transport, boolean exact) {
    SimSpan entry = e.span;
    String from = exit.service.name;
    String to = entry.service.name;
    if (fault == Fault.SAMPLING_SPLIT) {
      if (exit.reported) {
        add(fault, List.of(exit), from, to, transport, "heuristic");
      }
      return;
    }
    if (fault == Fault.MISSING_SPAN) {
      if (entry.reported) {
        truth.add(
            new Truth(
                fault.wireName(),
                List.of(entry.traceId.toHex()),
                List.of(SpanId.toHex(exit.spanId), SpanId.toHex(entry.spanId)),
                from,
                to,
                transport,
                fault.blame(),
                "exact",
                diagnostics(exit.service, entry.service)));
      }
      return;
    }
    if (!exit.reported || !entry.reported) return;
    if (e.joined && entry.traceId.equals(exit.traceId)) {
      if (fault == Fault.CONTEXT_CONFLICT) {
        add(fault, List.of(exit, entry), from, to, transport, "exact");
        return;
      }
      truth.add(
          new Truth(
              Truth.INTACT,
              List.of(exit.traceId.toHex()),
              ids(exit, entry),
              from,
              to,
              transport,
              "",
              "exact",
              diagnostics(exit.service, entry.service)));
      long before = exit.reportedStart() - entry.reportedStart();
      long after = exit.kind == SpanKind.CLIENT ? entry.reportedEnd() - exit.reportedEnd() : 0;
      if (Math.max(before, after) > MS) { // the analysis' documented default tolerance
        add(Fault.CLOCK_SKEW, List.of(exit, entry), from, to, transport, "exact");
      }
      return;
    }
    if (fault == null) {
      // a structural break nobody injected (should not happen in this topology): keep it visible
      add(
          Fault.CONTEXT_NOT_INJECTED,
          List.of(exit, entry),
          from,
          to,
          transport,
          exact ? "exact" : "heuristic");
      return;
    }
    add(fault, List.of(exit, entry), from, to, transport, exact ? "exact" : "heuristic");
  }

  private void add(
      Fault fault, List<SimSpan> sides, String from, String to, String transport, String evidence) {
    List<String> traces = new ArrayList<>(2);
    List<String> ids = new ArrayList<>(2);
    for (SimSpan s : sides) {
      if (!traces.contains(s.traceId.toHex())) traces.add(s.traceId.toHex());
      ids.add(SpanId.toHex(s.spanId));
    }
    truth.add(
        new Truth(
            fault.wireName(),
            traces,
            ids,
            from,
            to,
            transport,
            fault.blame(),
            evidence,
            diagnostics(sides.get(0).service, byName(to))));
  }

  private static Service byName(String name) {
    for (Service s : SERVICES) {
      if (s.name.equals(name)) return s;
    }
    return LOYALTY;
  }

  private static String diagnostics(Service caller, Service callee) {
    boolean c = caller.sdk == Service.Sdk.KIT;
    boolean e = callee.sdk == Service.Sdk.KIT;
    return c && e ? "both" : c ? "caller" : e ? "callee" : "none";
  }

  private static List<String> ids(SimSpan a, SimSpan b) {
    return List.of(SpanId.toHex(a.spanId), SpanId.toHex(b.spanId));
  }

  // ---- span shapes

  private SimSpan span(
      Service svc, TraceId trace, long parent, SpanKind kind, long start, boolean sampled) {
    SimSpan s = new SimSpan(svc, trace, newSpanId(), parent, kind);
    s.start = start;
    s.reported = sampled;
    spans.add(s);
    return s;
  }

  private void clientTags(SimSpan s, Rpc rpc, Service callee) {
    Service.Sdk sdk = s.service.sdk;
    if (sdk == Service.Sdk.BRAVE) {
      s.name = rpc.method.toLowerCase(java.util.Locale.ROOT);
      s.put("http.method", rpc.method).put("http.path", rpc.path);
      s.remoteIp = callee.ip;
      s.remotePort = callee.port;
      return;
    }
    if (rpc.grpc) {
      s.name = rpc.route;
      s.scope = "io.opentelemetry.grpc-1.6";
      s.put("rpc.system", "grpc").put("rpc.service", rpc.path).put("rpc.method", rpc.method);
      s.put("server.address", callee.host()).put("server.port", (long) callee.port);
      s.put("network.peer.address", callee.ip).put("network.peer.port", (long) callee.port);
      s.put("rpc.grpc.status_code", 0L);
      return;
    }
    s.name = rpc.method;
    s.scope = "io.opentelemetry.java-http-client";
    s.put("http.request.method", rpc.method);
    s.put("url.full", "http://" + callee.host() + ":" + callee.port + rpc.path);
    s.put("server.address", callee.host()).put("server.port", (long) callee.port);
    s.put("network.peer.address", callee.ip).put("network.peer.port", (long) callee.port);
    s.put("network.protocol.version", "1.1");
    s.put("http.response.status_code", 200L);
  }

  private void serverTags(SimSpan s, Rpc rpc, String callerIp) {
    Service.Sdk sdk = s.service.sdk;
    if (sdk == Service.Sdk.BRAVE) {
      s.name = rpc.method.toLowerCase(java.util.Locale.ROOT) + " " + rpc.route;
      s.put("http.method", rpc.method).put("http.path", rpc.path);
      s.remoteIp = callerIp;
      return;
    }
    if (rpc.grpc) {
      s.name = rpc.route;
      s.scope = "io.opentelemetry.grpc-1.6";
      s.put("rpc.system", "grpc").put("rpc.service", rpc.path).put("rpc.method", rpc.method);
      s.put("server.address", s.service.host()).put("server.port", (long) s.service.port);
      s.put("client.address", callerIp).put("network.peer.address", callerIp);
      s.put("rpc.grpc.status_code", 0L);
      return;
    }
    s.name = rpc.method + " " + rpc.route;
    s.scope = "io.opentelemetry.tomcat-10.0";
    s.put("http.request.method", rpc.method).put("url.path", rpc.path).put("url.scheme", "http");
    s.put("http.route", rpc.route);
    s.put("server.address", s.service.host()).put("server.port", (long) s.service.port);
    s.put("client.address", callerIp).put("network.peer.address", callerIp);
    s.put("user_agent.original", "Java-http-client/17.0.12");
    s.put("network.protocol.version", "1.1");
    s.put("http.response.status_code", 200L);
  }

  private static void proxyTags(
      SimSpan s, String cluster, Rpc rpc, Service upstream, String requestId) {
    s.name = upstream.host() + ":" + upstream.port + "/*";
    s.put("component", "proxy");
    s.put("node_id", "sidecar~" + s.service.ip + "~" + s.service.name + "~shop.svc.cluster.local");
    s.put("upstream_cluster", cluster);
    s.put("upstream_cluster.name", cluster);
    s.put("http.method", rpc.grpc ? "POST" : rpc.method);
    s.put(
        "http.url",
        "http://"
            + upstream.host()
            + ":"
            + upstream.port
            + (rpc.grpc ? "/" + rpc.route : rpc.path));
    s.put("http.protocol", rpc.grpc ? "HTTP/2" : "HTTP/1.1");
    s.put("http.status_code", "200");
    s.put("response_flags", "-");
    s.put("guid:x-request-id", requestId);
  }

  private static void kitInjected(
      SimSpan exit, Service caller, List<String> formats, boolean requestId) {
    if (caller.sdk != Service.Sdk.KIT) return;
    List<String> written = new ArrayList<>(formats);
    if (requestId) written.add("xrequestid");
    exit.put("tracewire.propagation.injected", written);
  }

  private static void kitReceived(
      SimSpan entry,
      List<String> received,
      List<String> invalid,
      String used,
      List<String> conflict,
      long remoteParent,
      String requestId) {
    if (entry.service.sdk != Service.Sdk.KIT) return;
    entry.put("tracewire.propagation.received", received);
    if (!invalid.isEmpty()) entry.put("tracewire.propagation.invalid", invalid);
    if (used != null) entry.put("tracewire.propagation.used", used);
    if (!conflict.isEmpty()) entry.put("tracewire.propagation.conflict", conflict);
    if (remoteParent != SpanId.NONE) {
      entry.put("tracewire.propagation.remote_parent", SpanId.toHex(remoteParent));
    }
    if (requestId != null) entry.put("http.request.header.x-request-id", List.of(requestId));
  }

  // ---- randomness

  /** One-way network latency: 0.2 to 1.5 ms. */
  private long latency() {
    return 200 * US + (long) (rnd.nextDouble() * 1300 * US);
  }

  /** Work of about {@code meanMillis}, exponentially distributed, at least 20 µs. */
  private long work(double meanMillis) {
    return 20 * US + (long) (-Math.log(1 - rnd.nextDouble()) * meanMillis * MS);
  }

  private long newSpanId() {
    long id;
    do {
      id = rnd.nextLong();
    } while (id == 0);
    return id;
  }

  private TraceId newTraceId128() {
    return TraceId.of(rnd.nextLong() | 1L << 62, newSpanId());
  }

  private TraceId newTraceId64() {
    return TraceId.of(0, newSpanId());
  }

  private String uuid() {
    return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
  }
}
