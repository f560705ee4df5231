package dev.tracewire.server.app;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the ingest request bodies held in memory at once, so resident memory is set by
 * configuration and not by how many exporters send together. A request takes its Content-Length (or
 * the largest allowed body when it has none) from a shared budget before its body is read, and
 * gives it back once the body is decoded ({@link #decoded}; its spans are then bounded by the
 * queue's capacity) or, at the latest, when its response is sent. One that does not fit is refused
 * at once with the codes OTLP exporters retry on: 429 with Retry-After, or gRPC RESOURCE_EXHAUSTED
 * with RetryInfo.
 */
final class InFlightBodies implements DecoratingHttpServiceFunction {
  private final Budget budget;
  private final long maxBodyBytes;
  private final boolean grpc;
  private final ServerMetrics metrics;

  /** One budget shared by every ingest port; a decorator per port says how to refuse. */
  static final class Budget {
    final Semaphore kibibytes;
    final int kib;

    Budget(long bytes) {
      this.kib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes >> 10));
      this.kibibytes = new Semaphore(kib);
    }
  }

  InFlightBodies(Budget budget, long maxBodyBytes, boolean grpc, ServerMetrics metrics) {
    this.budget = budget;
    this.maxBodyBytes = maxBodyBytes;
    this.grpc = grpc;
    this.metrics = metrics;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    if (ctx.path().equals("/health")) return delegate.serve(ctx, req);
    long length = req.headers().contentLength();
    long bytes = length >= 0 ? Math.min(length, maxBodyBytes) : maxBodyBytes;
    // a body larger than the whole budget is taken alone, when nothing else is in flight
    int kib = (int) Math.min(budget.kib, Math.max(1, (bytes + 1023) >> 10));
    if (!budget.kibibytes.tryAcquire(kib)) {
      metrics.rejectedRequest("in_flight_limit");
      return grpc ? grpcRetryLater() : httpRetryLater();
    }
    Held held = new Held(budget.kibibytes, kib);
    ctx.setAttr(HELD, held);
    ctx.log().whenComplete().thenRun(held::release);
    return delegate.serve(ctx, req);
  }

  private static final AttributeKey<Held> HELD = AttributeKey.valueOf(InFlightBodies.class, "held");

  /** Gives the request's share of the budget back now: its body is decoded and can be dropped. */
  static void decoded(ServiceRequestContext ctx) {
    Held held = ctx == null ? null : ctx.attr(HELD);
    if (held != null) held.release();
  }

  /** One request's share, given back once, whichever comes first: decoded, or answered. */
  private static final class Held {
    private final Semaphore kibibytes;
    private final int kib;
    private final AtomicBoolean released = new AtomicBoolean();

    Held(Semaphore kibibytes, int kib) {
      this.kibibytes = kibibytes;
      this.kib = kib;
    }

    void release() {
      if (released.compareAndSet(false, true)) kibibytes.release(kib);
    }
  }

  private static HttpResponse httpRetryLater() {
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
            .contentType(MediaType.PLAIN_TEXT_UTF_8)
            .add(HttpHeaderNames.RETRY_AFTER, HttpIngestService.RETRY_AFTER_SECONDS)
            .build(),
        com.linecorp.armeria.common.HttpData.ofUtf8(
            "too many request bodies in flight; retry after "
                + HttpIngestService.RETRY_AFTER_SECONDS
                + "s"));
  }

  /** A trailers-only gRPC answer, as the OTLP/gRPC service gives for a full queue. */
  private static HttpResponse grpcRetryLater() {
    String message = "too many request bodies in flight; retry";
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(1))
                        .build()))
            .build();
    return HttpResponse.of(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.parse("application/grpc+proto"))
            .add("grpc-status", Integer.toString(Code.RESOURCE_EXHAUSTED_VALUE))
            .add("grpc-message", message) // printable ASCII without '%': sent as is
            .add(
                "grpc-status-details-bin",
                Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray()))
            .endOfStream(true)
            .build());
  }
}
