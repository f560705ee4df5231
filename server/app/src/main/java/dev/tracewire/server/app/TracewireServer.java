package dev.tracewire.server.app;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.tracewire.server.analysis.AnalysisResult;
import dev.tracewire.server.analysis.TraceIntegrity;
import dev.tracewire.server.query.QueryApi;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.ui.UiService;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Tracewire server: OTLP/gRPC, OTLP/HTTP, Zipkin and query ports in front of a bounded
 * pipeline into a {@link SpanStore}. The server is wired here, by hand, in one place.
 *
 * <pre>{@code
 * try (SpanStore store = DuckDbSpanStore.open(dataDir);
 *     TracewireServer server = TracewireServer.start(ServerConfig.newBuilder().build(), store)) {
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
public final class TracewireServer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TracewireServer.class);
  static final int MAX_BATCH_SPANS = 10_000;

  private final ServerConfig config;
  private final SpanStore store;
  private final ServerMetrics metrics = new ServerMetrics();
  private final Pipeline pipeline;
  private final Analysis analysis;
  private final ScheduledExecutorService retention;
  private final List<Server> servers = new ArrayList<>();
  private final Server otlpGrpc;
  private final Server otlpHttp;
  private final Server zipkin;
  private final Server query;

  private TracewireServer(ServerConfig config, SpanStore store) {
    this.config = config;
    this.store = store;
    this.analysis =
        new Analysis(
            TraceIntegrity.newBuilder()
                .requestResponseSettle(config.settle())
                .messagingSettle(config.messagingSettle())
                .maxOpenSpans(config.maxOpenSpans())
                .build(),
            store,
            metrics,
            TracewireServer::epochNanos,
            config.analysisInterval());
    this.pipeline =
        new Pipeline(store, config.queueCapacity(), MAX_BATCH_SPANS, metrics, analysis::add);
    metrics.gauges(pipeline::depth, pipeline::capacity, store::storageBytes);
    Ingest ingest = new Ingest(pipeline, metrics);
    InetAddress address = address(config.listen());
    InFlightBodies.Budget bodies = new InFlightBodies.Budget(config.maxInFlightBytes());

    GrpcService grpc =
        GrpcService.builder()
            .addService(new OtlpGrpcService(ingest))
            .maxRequestMessageLength(config.maxBodyBytes())
            .useBlockingTaskExecutor(true)
            .exceptionHandler(
                ((GrpcExceptionHandlerFunction) TracewireServer::invalidArgument)
                    .orElse(GrpcExceptionHandlerFunction.of()))
            .build();
    otlpGrpc =
        add(
            base(address, config.otlpGrpcPort())
                .service(grpc)
                .decorator(new InFlightBodies(bodies, config.maxBodyBytes(), true, metrics)));
    otlpHttp =
        add(
            base(address, config.otlpHttpPort())
                .service(
                    "/v1/traces",
                    new HttpIngestService(
                        HttpIngestService.Protocol.OTLP, ingest, config.maxBodyBytes()))
                .decorator(new InFlightBodies(bodies, config.maxBodyBytes(), false, metrics)));
    zipkin =
        add(
            base(address, config.zipkinPort())
                .service(
                    "/api/v2/spans",
                    new HttpIngestService(
                        HttpIngestService.Protocol.ZIPKIN, ingest, config.maxBodyBytes()))
                .decorator(new InFlightBodies(bodies, config.maxBodyBytes(), false, metrics)));
    ServerBuilder q = base(address, config.queryPort());
    QueryApi.create(store).addTo(q);
    q.service("/api/v1/analysis/flush", flushService(analysis));
    q.service(
        "/metrics",
        (ctx, req) ->
            HttpResponse.of(
                HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"),
                metrics.render()));
    UiService.addTo(q);
    query = add(q);

    this.retention =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tracewire-retention");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts every port and the retention task. The caller keeps ownership of {@code store} and
   * closes it after this server.
   */
  public static TracewireServer start(ServerConfig config, SpanStore store) {
    TracewireServer server = new TracewireServer(config, store);
    try {
      CompletableFuture.allOf(
              server.servers.stream().map(Server::start).toArray(CompletableFuture[]::new))
          .join();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    long every = config.retentionInterval().toMillis();
    server.retention.scheduleWithFixedDelay(
        server::enforceRetention, 0, every, TimeUnit.MILLISECONDS);
    server.logStart();
    return server;
  }

  public int otlpGrpcPort() {
    return otlpGrpc.activeLocalPort();
  }

  public int otlpHttpPort() {
    return otlpHttp.activeLocalPort();
  }

  public int zipkinPort() {
    return zipkin.activeLocalPort();
  }

  public int queryPort() {
    return query.activeLocalPort();
  }

  /** Spans stored since start; tests and benchmarks read it. */
  public long acceptedSpans() {
    return metrics.acceptedCount();
  }

  /** Spans waiting for or in a write. */
  int queueDepth() {
    return pipeline.depth();
  }

  String metricsText() {
    return metrics.render();
  }

  /** Stops the ports, then writes what was already accepted; does not close the store. */
  @Override
  public void close() {
    try {
      CompletableFuture.allOf(servers.stream().map(Server::stop).toArray(CompletableFuture[]::new))
          .join();
    } catch (RuntimeException e) {
      logger.warn("stopping a port failed", e);
    }
    retention.shutdownNow();
    pipeline.close();
    analysis.close(); // after the pipeline: its last writes reach the analysis first
  }

  /**
   * Queues already-decoded spans as if they had arrived over {@code source}; completes once
   * durable, or returns {@code null} when the queue is full (retry later). For in-process feeds
   * like --demo.
   */
  CompletableFuture<Void> submit(List<dev.tracewire.server.model.Span> spans, String source) {
    CompletableFuture<Void> durable = pipeline.offer(spans);
    if (durable == null) {
      metrics.rejectedRequest("queue_full");
    } else {
      metrics.received(source, spans.size());
    }
    return durable;
  }

  /** Closes every open trace now and stores its findings: for tests, demos and batch imports. */
  public AnalysisResult flushAnalysis() {
    return analysis.flush();
  }

  /** {@code POST /api/v1/analysis/flush}: answers what the flush closed and decided. */
  static HttpService flushService(Analysis analysis) {
    return (ctx, req) -> {
      if (req.method() != HttpMethod.POST) {
        return HttpResponse.builder()
            .status(HttpStatus.METHOD_NOT_ALLOWED)
            .header(HttpHeaderNames.ALLOW, "POST")
            .content(MediaType.JSON_UTF_8, "{\"error\":\"" + req.method() + " (expected: POST)\"}")
            .build();
      }
      return HttpResponse.of(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  AnalysisResult r = analysis.flush();
                  return HttpResponse.of(
                      HttpStatus.OK,
                      MediaType.JSON_UTF_8,
                      "{\"traces\":%d,\"spans\":%d,\"findings\":%d,\"edges\":%d}",
                      r.traces(),
                      r.spans(),
                      r.findings().size(),
                      r.edges().size());
                } catch (RuntimeException e) {
                  logger.warn("analysis flush failed", e);
                  return HttpResponse.of(
                      HttpStatus.SERVICE_UNAVAILABLE,
                      MediaType.JSON_UTF_8,
                      "{\"error\":\"flush failed; retry\"}");
                }
              },
              ctx.blockingTaskExecutor()));
    };
  }

  static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  void enforceRetention() {
    try {
      long deleted = 0;
      Duration keep = config.retention();
      if (keep != null) deleted += store.deleteOlderThan(Instant.now().minus(keep));
      if (config.maxDiskBytes() > 0) deleted += store.deleteOldestUntil(config.maxDiskBytes());
      if (deleted > 0) {
        metrics.retentionDeleted(deleted);
        logger.info("retention deleted {} spans", deleted);
      }
    } catch (RuntimeException e) {
      logger.warn("retention failed; will retry", e);
    }
  }

  private Server add(ServerBuilder sb) {
    Server server = sb.build();
    servers.add(server);
    return server;
  }

  private ServerBuilder base(InetAddress address, int port) {
    ServerBuilder sb =
        Server.builder()
            .http(new InetSocketAddress(address, port))
            .maxRequestLength(config.maxBodyBytes())
            .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(2))
            .service(
                "/health",
                (ctx, req) ->
                    HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"status\":\"UP\"}"));
    if (config.token() != null) sb.decorator(bearerToken(config.token(), metrics));
    return sb;
  }

  static DecoratingHttpServiceFunction bearerToken(String token, ServerMetrics metrics) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    return (delegate, ctx, req) -> {
      if (ctx.path().equals("/health") || isStaticUi(ctx.path())) return delegate.serve(ctx, req);
      String presented = req.headers().get(HttpHeaderNames.AUTHORIZATION);
      if (presented != null
          && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
        return delegate.serve(ctx, req);
      }
      metrics.rejectedRequest("unauthorized");
      logger.warn(
          "401 {} {} from {}: {}",
          req.method(),
          ctx.path(),
          ctx.remoteAddress(),
          presented == null ? "no Authorization header" : "wrong token " + mask(presented));
      return HttpResponse.builder()
          .status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer")
          .content(MediaType.PLAIN_TEXT_UTF_8, "missing or wrong bearer token")
          .build();
    };
  }

  /**
   * The UI's page and assets carry no data, and a browser cannot add a header when it opens a page;
   * the page asks for the token and sends it on every {@code /api} call.
   */
  static boolean isStaticUi(String path) {
    return path.equals("/") || path.startsWith("/ui/") || path.equals("/favicon.ico");
  }

  /** Shows a secret's length and first two characters only. */
  static String mask(String secret) {
    String s = secret.startsWith("Bearer ") ? secret.substring(7) : secret;
    return (s.length() <= 8 ? "" : s.substring(0, 2)) + "…(" + s.length() + " chars)";
  }

  private static Status invalidArgument(
      com.linecorp.armeria.common.RequestContext ctx,
      Status status,
      Throwable cause,
      io.grpc.Metadata metadata) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof InvalidProtocolBufferException) {
        return Status.INVALID_ARGUMENT.withDescription(
            "invalid OTLP protobuf ExportTraceServiceRequest: " + t.getMessage());
      }
    }
    return null;
  }

  private static InetAddress address(String listen) {
    try {
      return InetAddress.getByName(listen);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "listen: " + listen + " (expected: an address of this host)", e);
    }
  }

  private void logStart() {
    InetAddress address = address(config.listen());
    logger.info(
        "Tracewire listening on {}: OTLP/gRPC :{}, OTLP/HTTP :{}, Zipkin :{}, query+UI :{}{}",
        config.listen(),
        otlpGrpcPort(),
        otlpHttpPort(),
        zipkinPort(),
        queryPort(),
        config.token() == null ? "" : ", bearer token " + mask(config.token()));
    if (!address.isLoopbackAddress() && config.token() == null) {
      String warning =
          "\n!!! WARNING: Tracewire listens on "
              + config.listen()
              + " (beyond loopback) WITHOUT --token:\n"
              + "!!! anyone who can reach this host can send and read traces.\n"
              + "!!! Pass --token <secret>, or --listen 127.0.0.1.\n";
      logger.warn(warning);
    }
  }
}
