package dev.tracewire.server.storage;

import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.model.TraceId;

/**
 * Criteria for {@link SpanStore#findings}. A finding matches when it meets every set criterion;
 * unset criteria match anything.
 *
 * <pre>{@code
 * FindingQuery query = FindingQuery.newBuilder()
 *     .kind(FindingKind.CONTEXT_STRIPPED)
 *     .service("payments")
 *     .startEpochNanos(hourAgoNanos)
 *     .build();
 * }</pre>
 */
public final class FindingQuery {
  /** The limit when none is set. */
  public static final int DEFAULT_LIMIT = 100;

  private final long startEpochNanos;
  private final long endEpochNanos;
  private final FindingKind kind;
  private final String service;
  private final TraceId traceId;
  private final int limit;

  private FindingQuery(Builder b) {
    startEpochNanos = b.startEpochNanos;
    endEpochNanos = b.endEpochNanos;
    kind = b.kind;
    service = b.service;
    traceId = b.traceId;
    limit = b.limit;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Earliest {@link Finding#timeEpochNanos()} that matches, inclusive (default 0). */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** Latest {@link Finding#timeEpochNanos()} that matches, inclusive (default: no bound). */
  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** The kind a matching finding has, or null for any. */
  public FindingKind kind() {
    return kind;
  }

  /** A service on either side of the finding's hop, or null for any. */
  public String service() {
    return service;
  }

  /** A trace the finding concerns (any of its {@link Finding#traceIds()}), or null for any. */
  public TraceId traceId() {
    return traceId;
  }

  /** At most this many findings, newest first. */
  public int limit() {
    return limit;
  }

  /** The reference semantics every backend implements (the limit aside). */
  public boolean test(Finding f) {
    if (f.timeEpochNanos() < startEpochNanos || f.timeEpochNanos() > endEpochNanos) return false;
    if (kind != null && f.kind() != kind) return false;
    if (service != null && !service.equals(f.hop().from()) && !service.equals(f.hop().to())) {
      return false;
    }
    return traceId == null || f.traceIds().contains(traceId.toHex());
  }

  @Override
  public String toString() {
    return "FindingQuery{start="
        + startEpochNanos
        + ", end="
        + endEpochNanos
        + ", kind="
        + kind
        + ", service="
        + service
        + ", traceId="
        + traceId
        + ", limit="
        + limit
        + "}";
  }

  /** Builds a {@link FindingQuery}; not thread-safe. */
  public static final class Builder {
    private long startEpochNanos;
    private long endEpochNanos = Long.MAX_VALUE;
    private FindingKind kind;
    private String service;
    private TraceId traceId;
    private int limit = DEFAULT_LIMIT;

    Builder() {}

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder endEpochNanos(long endEpochNanos) {
      this.endEpochNanos = endEpochNanos;
      return this;
    }

    /** Only findings of this kind; null for any. */
    public Builder kind(FindingKind kind) {
      this.kind = kind;
      return this;
    }

    /** Only findings whose hop starts or ends at this service; null for any. */
    public Builder service(String service) {
      this.service = service;
      return this;
    }

    /** Only findings concerning this trace; null for any. */
    public Builder traceId(TraceId traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder limit(int limit) {
      if (limit <= 0) throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
      this.limit = limit;
      return this;
    }

    public FindingQuery build() {
      if (startEpochNanos > endEpochNanos) {
        throw new IllegalArgumentException(
            "startEpochNanos: "
                + startEpochNanos
                + " (expected: <= endEpochNanos "
                + endEpochNanos
                + ")");
      }
      return new FindingQuery(this);
    }
  }
}
