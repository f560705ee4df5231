package dev.tracewire.server.storage;

import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Criteria for {@link SpanStore#search}. A trace matches when one of its spans meets every set
 * criterion at once; unset criteria match anything.
 *
 * <pre>{@code
 * TraceQuery query = TraceQuery.newBuilder()
 *     .serviceName("frontend")
 *     .tag("http.status_code", "500")
 *     .minDuration(Duration.ofMillis(100))
 *     .start(Instant.now().minus(Duration.ofHours(1)))
 *     .limit(20)
 *     .build();
 * }</pre>
 */
public final class TraceQuery {
  /** The limit when none is set. */
  public static final int DEFAULT_LIMIT = 20;

  private final String serviceName;
  private final String spanName;
  private final Map<String, String> tags;
  private final long minDurationNanos;
  private final long maxDurationNanos;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final int limit;

  private TraceQuery(Builder b) {
    serviceName = b.serviceName;
    spanName = b.spanName;
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
    minDurationNanos = b.minDurationNanos;
    maxDurationNanos = b.maxDurationNanos;
    startEpochNanos = b.startEpochNanos;
    endEpochNanos = b.endEpochNanos;
    limit = b.limit;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The service ({@code service.name}) a matching span belongs to, or null for any. */
  public String serviceName() {
    return serviceName;
  }

  /** The matching span's name (operation), or null for any. */
  public String spanName() {
    return spanName;
  }

  /**
   * Attribute key → value pairs the matching span must all carry, in its own attributes or its
   * resource's. Values compare to scalar attributes (string, bool, long, double) as {@link
   * dev.tracewire.server.model.AttributeValue#asString()} renders them; arrays, lists and bytes
   * never match. The tags Jaeger derives from span fields match those fields too: {@code
   * error=true} and {@code otel.status_code=ERROR|OK|UNSET} match the status, {@code
   * span.kind=server|client|producer|consumer|internal} the kind (see {@link #statusOfTag} and
   * {@link #kindOfTag}).
   */
  public Map<String, String> tags() {
    return tags;
  }

  /** Minimum duration in nanoseconds, inclusive; 0 when unset. */
  public long minDurationNanos() {
    return minDurationNanos;
  }

  /** Maximum duration in nanoseconds, inclusive; {@link Long#MAX_VALUE} when unset. */
  public long maxDurationNanos() {
    return maxDurationNanos;
  }

  /** Earliest start of the matching span in epoch nanoseconds, inclusive; 0 when unset. */
  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** Latest start of the matching span in epoch nanoseconds, inclusive; max when unset. */
  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** At most this many traces are returned. */
  public int limit() {
    return limit;
  }

  /** Whether {@code span} alone meets every criterion; backends that filter in memory use this. */
  public boolean test(Span span) {
    if (serviceName != null && !serviceName.equals(span.serviceName())) return false;
    if (spanName != null && !spanName.equals(span.name())) return false;
    long duration = span.durationNanos();
    if (duration < minDurationNanos || duration > maxDurationNanos) return false;
    long start = span.startEpochNanos();
    if (start < startEpochNanos || start > endEpochNanos) return false;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      if (!hasTag(span.attributes(), key, value)
          && !hasTag(span.resource().attributes(), key, value)
          && span.status().code() != statusOfTag(key, value)
          && span.kind() != kindOfTag(key, value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The status code a Jaeger-derived tag stands for ({@code error=true}, {@code
   * otel.status_code=ERROR}), or null when the tag is an ordinary one.
   */
  public static StatusCode statusOfTag(String key, String value) {
    if (key.equals("error")) return value.equals("true") ? StatusCode.ERROR : null;
    if (!key.equals("otel.status_code")) return null;
    for (StatusCode code : StatusCode.values()) {
      if (code.name().equalsIgnoreCase(value)) return code;
    }
    return null;
  }

  /** The span kind a Jaeger-derived {@code span.kind} tag stands for, or null. */
  public static SpanKind kindOfTag(String key, String value) {
    if (!key.equals("span.kind")) return null;
    for (SpanKind kind : SpanKind.values()) {
      if (kind != SpanKind.UNSPECIFIED && kind.name().equalsIgnoreCase(value)) return kind;
    }
    return null;
  }

  /**
   * Whether {@code attributes} holds {@code key} with a scalar value rendering as {@code value}.
   */
  public static boolean hasTag(Attributes attributes, String key, String value) {
    for (Attribute a : attributes.asList()) {
      if (!a.key().equals(key)) continue;
      switch (a.value().type()) {
        case STRING, BOOL, LONG, DOUBLE -> {
          if (a.value().asString().equals(value)) return true;
        }
        default -> {}
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceQuery q
        && Objects.equals(serviceName, q.serviceName)
        && Objects.equals(spanName, q.spanName)
        && tags.equals(q.tags)
        && minDurationNanos == q.minDurationNanos
        && maxDurationNanos == q.maxDurationNanos
        && startEpochNanos == q.startEpochNanos
        && endEpochNanos == q.endEpochNanos
        && limit == q.limit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(serviceName, spanName, tags, minDurationNanos, startEpochNanos, limit);
  }

  @Override
  public String toString() {
    return "TraceQuery{service="
        + serviceName
        + ", spanName="
        + spanName
        + ", tags="
        + tags
        + ", durationNanos=["
        + minDurationNanos
        + ", "
        + maxDurationNanos
        + "], startEpochNanos=["
        + startEpochNanos
        + ", "
        + endEpochNanos
        + "], limit="
        + limit
        + "}";
  }

  /** Builds a {@link TraceQuery}; not thread-safe. */
  public static final class Builder {
    private String serviceName;
    private String spanName;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private long minDurationNanos;
    private long maxDurationNanos = Long.MAX_VALUE;
    private long startEpochNanos;
    private long endEpochNanos = Long.MAX_VALUE;
    private int limit = DEFAULT_LIMIT;

    Builder() {}

    Builder(TraceQuery q) {
      serviceName = q.serviceName;
      spanName = q.spanName;
      tags.putAll(q.tags);
      minDurationNanos = q.minDurationNanos;
      maxDurationNanos = q.maxDurationNanos;
      startEpochNanos = q.startEpochNanos;
      endEpochNanos = q.endEpochNanos;
      limit = q.limit;
    }

    /** Null or empty means any service. */
    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName == null || serviceName.isEmpty() ? null : serviceName;
      return this;
    }

    /** Null or empty means any span name. */
    public Builder spanName(String spanName) {
      this.spanName = spanName == null || spanName.isEmpty() ? null : spanName;
      return this;
    }

    public Builder tag(String key, String value) {
      tags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      tags.forEach(this::tag);
      return this;
    }

    /** Null means no minimum. */
    public Builder minDuration(Duration minDuration) {
      return minDurationNanos(minDuration == null ? 0 : toNanos(minDuration, "minDuration"));
    }

    /** Null means no maximum. */
    public Builder maxDuration(Duration maxDuration) {
      return maxDurationNanos(
          maxDuration == null ? Long.MAX_VALUE : toNanos(maxDuration, "maxDuration"));
    }

    public Builder minDurationNanos(long nanos) {
      if (nanos < 0)
        throw new IllegalArgumentException("minDuration: " + nanos + " (expected: >= 0)");
      minDurationNanos = nanos;
      return this;
    }

    public Builder maxDurationNanos(long nanos) {
      if (nanos < 0)
        throw new IllegalArgumentException("maxDuration: " + nanos + " (expected: >= 0)");
      maxDurationNanos = nanos;
      return this;
    }

    /** Null means no lower bound on the matching span's start. */
    public Builder start(Instant start) {
      return startEpochNanos(start == null ? 0 : epochNanos(start));
    }

    /** Null means no upper bound on the matching span's start. */
    public Builder end(Instant end) {
      return endEpochNanos(end == null ? Long.MAX_VALUE : epochNanos(end));
    }

    public Builder startEpochNanos(long epochNanos) {
      startEpochNanos = Math.max(0, epochNanos);
      return this;
    }

    public Builder endEpochNanos(long epochNanos) {
      endEpochNanos = epochNanos;
      return this;
    }

    public Builder limit(int limit) {
      if (limit <= 0) throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
      this.limit = limit;
      return this;
    }

    public TraceQuery build() {
      if (minDurationNanos > maxDurationNanos) {
        throw new IllegalArgumentException(
            "minDuration: "
                + minDurationNanos
                + "ns (expected: <= maxDuration "
                + maxDurationNanos
                + "ns)");
      }
      return new TraceQuery(this);
    }

    private static long toNanos(Duration d, String name) {
      if (d.isNegative()) throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }

    private static long epochNanos(Instant t) {
      try {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
      } catch (ArithmeticException e) {
        return t.getEpochSecond() < 0 ? 0 : Long.MAX_VALUE;
      }
    }
  }
}
