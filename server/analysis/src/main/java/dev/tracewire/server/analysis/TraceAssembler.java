package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Groups spans by trace and closes a trace once it has been quiet for its settle window: short for
 * request/response traces, longer once any span of the trace is messaging (a consumer may run long
 * after its producer). Time is always a parameter; nothing here reads a clock. Not thread-safe.
 *
 * <pre>{@code
 * TraceAssembler assembler = TraceAssembler.newBuilder()
 *     .requestResponseSettle(Duration.ofSeconds(5))
 *     .messagingSettle(Duration.ofSeconds(30))
 *     .build();
 * assembler.add(span, nowNanos);
 * List<AssembledTrace> closed = assembler.closeSettled(nowNanos);
 * }</pre>
 */
public final class TraceAssembler {
  private final long requestResponseSettleNanos;
  private final long messagingSettleNanos;
  private final long maxTraceAgeNanos;
  private final long maxOpenSpans;

  // access order = order of last arrival: heads are the quietest
  private final LinkedHashMap<TraceId, Open> requestResponse =
      new LinkedHashMap<>(256, 0.75f, true);
  private final LinkedHashMap<TraceId, Open> messaging = new LinkedHashMap<>(256, 0.75f, true);
  private final List<AssembledTrace> forced = new ArrayList<>();
  private long openSpans;
  private long lastAgeScan = Long.MIN_VALUE / 2;

  private TraceAssembler(Builder b) {
    requestResponseSettleNanos = b.requestResponseSettle.toNanos();
    messagingSettleNanos = b.messagingSettle.toNanos();
    maxTraceAgeNanos = b.maxTraceAge.toNanos();
    maxOpenSpans = b.maxOpenSpans;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Adds one span that arrived at {@code nowEpochNanos}. */
  public void add(Span span, long nowEpochNanos) {
    TraceId id = span.traceId();
    // access-ordered maps: get() moves the trace to the tail, so heads stay the quietest
    Open open = requestResponse.get(id);
    if (open == null) open = messaging.get(id);
    if (open == null) {
      open = new Open(id, nowEpochNanos);
      open.messaging = isMessaging(span);
      (open.messaging ? messaging : requestResponse).put(id, open);
    } else if (!open.messaging && isMessaging(span)) {
      requestResponse.remove(id);
      open.messaging = true;
      messaging.put(id, open);
    }
    open.spans.add(span);
    open.lastArrival = nowEpochNanos;
    openSpans++;
    // bounded memory: past the budget the quietest traces close early rather than being dropped
    while (openSpans > maxOpenSpans && !(requestResponse.isEmpty() && messaging.isEmpty())) {
      Open oldest = quietest();
      remove(oldest);
      forced.add(oldest.close(nowEpochNanos));
    }
  }

  /** Adds spans that arrived together at {@code nowEpochNanos}. */
  public void addAll(Iterable<Span> spans, long nowEpochNanos) {
    for (Span s : spans) add(s, nowEpochNanos);
  }

  /**
   * Closes and returns every trace quiet for its settle window (or open longer than the maximum
   * trace age) at {@code nowEpochNanos}, and any closed early to stay within the span budget.
   */
  public List<AssembledTrace> closeSettled(long nowEpochNanos) {
    List<AssembledTrace> out = new ArrayList<>(forced);
    forced.clear();
    closeSettled(requestResponse, requestResponseSettleNanos, nowEpochNanos, out);
    closeSettled(messaging, messagingSettleNanos, nowEpochNanos, out);
    // a trace that never goes quiet is found only by a scan, so scan rarely
    if (nowEpochNanos - lastAgeScan >= maxTraceAgeNanos / 8) {
      lastAgeScan = nowEpochNanos;
      closeOld(requestResponse, nowEpochNanos, out);
      closeOld(messaging, nowEpochNanos, out);
    }
    return out;
  }

  /** Closes and returns every open trace now, settled or not: for tests and batch imports. */
  public List<AssembledTrace> flush(long nowEpochNanos) {
    List<AssembledTrace> out = new ArrayList<>(forced);
    forced.clear();
    for (Open o : requestResponse.values()) out.add(o.close(nowEpochNanos));
    for (Open o : messaging.values()) out.add(o.close(nowEpochNanos));
    requestResponse.clear();
    messaging.clear();
    openSpans = 0;
    return out;
  }

  /** Traces open now. */
  public int openTraces() {
    return requestResponse.size() + messaging.size();
  }

  /** Spans held in open traces now. */
  public long openSpans() {
    return openSpans;
  }

  private void closeSettled(
      LinkedHashMap<TraceId, Open> traces, long settle, long now, List<AssembledTrace> out) {
    Iterator<Open> it = traces.values().iterator();
    while (it.hasNext()) {
      Open o = it.next();
      if (now - o.lastArrival < settle) break; // the rest arrived later still
      it.remove();
      openSpans -= o.spans.size();
      out.add(o.close(now));
    }
  }

  private void closeOld(LinkedHashMap<TraceId, Open> traces, long now, List<AssembledTrace> out) {
    Iterator<Open> it = traces.values().iterator();
    while (it.hasNext()) {
      Open o = it.next();
      if (now - o.firstArrival >= maxTraceAgeNanos) {
        it.remove();
        openSpans -= o.spans.size();
        out.add(o.close(now));
      }
    }
  }

  private Open quietest() {
    Open a = requestResponse.isEmpty() ? null : requestResponse.values().iterator().next();
    Open b = messaging.isEmpty() ? null : messaging.values().iterator().next();
    if (a == null) return b;
    if (b == null) return a;
    return a.lastArrival <= b.lastArrival ? a : b;
  }

  private void remove(Open o) {
    if (requestResponse.remove(o.traceId) == null) messaging.remove(o.traceId);
    openSpans -= o.spans.size();
  }

  static boolean isMessaging(Span span) {
    return span.kind() == SpanKind.PRODUCER
        || span.kind() == SpanKind.CONSUMER
        || span.attributes().get("messaging.system") != null;
  }

  private static final class Open {
    final TraceId traceId;
    final long firstArrival;
    final List<Span> spans = new ArrayList<>(4);
    long lastArrival;
    boolean messaging;

    Open(TraceId traceId, long firstArrival) {
      this.traceId = traceId;
      this.firstArrival = firstArrival;
    }

    AssembledTrace close(long now) {
      return AssembledTrace.create(traceId, spans, now);
    }
  }

  /** Configures a {@link TraceAssembler}; not thread-safe. */
  public static final class Builder {
    private Duration requestResponseSettle = Duration.ofSeconds(5);
    private Duration messagingSettle = Duration.ofSeconds(30);
    private Duration maxTraceAge = Duration.ofMinutes(5);
    private long maxOpenSpans = 1_000_000;

    Builder() {}

    /** Quiet time after which a trace of HTTP/gRPC hops closes (default 5s). */
    public Builder requestResponseSettle(Duration settle) {
      this.requestResponseSettle = positive(settle, "requestResponseSettle");
      return this;
    }

    /** Quiet time after which a trace with any messaging span closes (default 30s). */
    public Builder messagingSettle(Duration settle) {
      this.messagingSettle = positive(settle, "messagingSettle");
      return this;
    }

    /** A trace still receiving spans this long after its first closes anyway (default 5m). */
    public Builder maxTraceAge(Duration age) {
      this.maxTraceAge = positive(age, "maxTraceAge");
      return this;
    }

    /** Spans held in open traces before the quietest traces close early (default 1,000,000). */
    public Builder maxOpenSpans(long maxOpenSpans) {
      if (maxOpenSpans <= 0) {
        throw new IllegalArgumentException("maxOpenSpans: " + maxOpenSpans + " (expected: > 0)");
      }
      this.maxOpenSpans = maxOpenSpans;
      return this;
    }

    public TraceAssembler build() {
      return new TraceAssembler(this);
    }

    static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }
  }

  @Override
  public String toString() {
    return "TraceAssembler{open=" + openTraces() + ", spans=" + openSpans + "}";
  }
}
