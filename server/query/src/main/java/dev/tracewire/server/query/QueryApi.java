package dev.tracewire.server.query;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tracewire.server.storage.SpanStore;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The read side of the server: Tracewire's REST API under {@code /api/v1} (traces, services,
 * integrity findings and per-edge integrity) and the Jaeger HTTP API under {@code /api} that
 * Grafana's Jaeger data source calls (findings as span warnings), both over one {@link SpanStore}.
 *
 * <pre>{@code
 * ServerBuilder sb = Server.builder().http(16686);
 * QueryApi.create(store).addTo(sb);
 * }</pre>
 */
public final class QueryApi {
  private static final Logger logger = Logger.getLogger(QueryApi.class.getName());

  private final RestApi rest;
  private final IntegrityApi integrity;
  private final JaegerApi jaeger;

  private QueryApi(SpanStore store) {
    this.integrity = new IntegrityApi(store);
    this.rest = new RestApi(store, integrity);
    this.jaeger = new JaegerApi(store, integrity, System::currentTimeMillis);
  }

  /** Returns the API reading from {@code store}. */
  public static QueryApi create(SpanStore store) {
    return new QueryApi(Objects.requireNonNull(store, "store"));
  }

  /** Binds every query route (GET) to {@code sb}. */
  public void addTo(ServerBuilder sb) {
    sb.service("/api/v1/traces/{traceId}", rest(p -> rest.trace(p.ctx.pathParam("traceId"))));
    sb.service("/api/v1/traces", rest(p -> rest.search(p.params)));
    sb.service("/api/v1/services", rest(p -> rest.services()));
    sb.service(
        "/api/v1/services/{service}/operations",
        rest(p -> rest.operations(p.ctx.pathParam("service"))));
    sb.service("/api/v1/findings", rest(p -> integrity.findings(p.params)));
    sb.service("/api/v1/integrity", rest(p -> integrity.integrity(p.params)));

    sb.service("/api/services", jaeger(p -> jaeger.services()));
    sb.service(
        "/api/services/{service}/operations",
        jaeger(p -> jaeger.operationNames(p.ctx.pathParam("service"))));
    sb.service("/api/operations", jaeger(p -> jaeger.operations(p.params)));
    sb.service("/api/traces", jaeger(p -> jaeger.search(p.params)));
    sb.service("/api/traces/{traceId}", jaeger(p -> jaeger.trace(p.ctx.pathParam("traceId"))));
    sb.service("/api/dependencies", jaeger(p -> jaeger.dependencies(p.params)));
  }

  /** A request's context and parsed query parameters. */
  private static final class Request {
    final ServiceRequestContext ctx;
    final Params params;

    Request(ServiceRequestContext ctx) {
      this.ctx = ctx;
      this.params = new Params(ctx.queryParams());
    }
  }

  private static HttpService rest(Function<Request, HttpResponse> handler) {
    return blocking(handler, RestApi::error);
  }

  private static HttpService jaeger(Function<Request, HttpResponse> handler) {
    return blocking(handler, JaegerApi::error);
  }

  // Stores block (disk, locks): never run them on an event loop.
  private static HttpService blocking(
      Function<Request, HttpResponse> handler, BiFunction<HttpStatus, String, HttpResponse> error) {
    return (ctx, req) -> {
      if (req.method() != com.linecorp.armeria.common.HttpMethod.GET
          && req.method() != com.linecorp.armeria.common.HttpMethod.HEAD) {
        return error.apply(HttpStatus.METHOD_NOT_ALLOWED, req.method() + " (expected: GET)");
      }
      return HttpResponse.of(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return handler.apply(new Request(ctx));
                } catch (BadParameterException e) {
                  return error.apply(HttpStatus.BAD_REQUEST, e.getMessage());
                } catch (RuntimeException e) {
                  logger.log(Level.WARNING, "query failed: " + ctx.path(), e);
                  return error.apply(HttpStatus.INTERNAL_SERVER_ERROR, "query failed: " + e);
                }
              },
              ctx.blockingTaskExecutor()));
    };
  }
}
