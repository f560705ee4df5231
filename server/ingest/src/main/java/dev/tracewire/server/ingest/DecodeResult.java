package dev.tracewire.server.ingest;

import dev.tracewire.server.model.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a decoder made of one request body: the spans to store, the spans it rejected (with reasons,
 * for OTLP {@code partial_success} and metrics), or — when the body itself is unreadable — a
 * message naming the problem and no spans at all.
 *
 * <pre>{@code
 * DecodeResult result = SpanFormat.OTLP_PROTO.decode(body);
 * if (result.isMalformed()) return badRequest(result.malformedReason());
 * store.write(result.spans());
 * }</pre>
 */
public final class DecodeResult {
  private final List<Span> spans;
  private final Map<String, Integer> rejectedByReason;
  private final int rejected;
  private final String firstRejection;
  private final String malformedReason;

  private DecodeResult(
      List<Span> spans,
      Map<String, Integer> rejectedByReason,
      String firstRejection,
      String malformedReason) {
    this.spans = List.copyOf(spans);
    this.rejectedByReason = Map.copyOf(rejectedByReason);
    int total = 0;
    for (int n : rejectedByReason.values()) total += n;
    this.rejected = total;
    this.firstRejection = firstRejection;
    this.malformedReason = malformedReason;
  }

  /** A body that could not be read at all; nothing of it may be stored. */
  public static DecodeResult malformed(String reason) {
    return new DecodeResult(List.of(), Map.of(), null, Objects.requireNonNull(reason, "reason"));
  }

  static DecodeResult of(List<Span> spans, Rejections rejections) {
    return new DecodeResult(spans, rejections.byReason, rejections.first, null);
  }

  /** True when the body was unreadable; then {@link #spans()} is empty. */
  public boolean isMalformed() {
    return malformedReason != null;
  }

  /** Why the body was unreadable, naming the problem, or {@code null}. */
  public String malformedReason() {
    return malformedReason;
  }

  /** The valid spans, in the order sent. */
  public List<Span> spans() {
    return spans;
  }

  /** How many individual spans were rejected. */
  public int rejectedCount() {
    return rejected;
  }

  /** The first rejection's reason and span, or {@code null} when none was rejected. */
  public String firstRejection() {
    return firstRejection;
  }

  /** Rejected span counts by stable reason (see {@code SpanValidation}). */
  public Map<String, Integer> rejectedByReason() {
    return rejectedByReason;
  }

  @Override
  public String toString() {
    return isMalformed()
        ? "DecodeResult{malformed=" + malformedReason + "}"
        : "DecodeResult{spans=" + spans.size() + ", rejected=" + rejected + "}";
  }

  /** Collects rejections while decoding one body. */
  static final class Rejections {
    final Map<String, Integer> byReason = new LinkedHashMap<>();
    String first;

    void add(String reason, String where) {
      byReason.merge(reason, 1, Integer::sum);
      if (first == null) first = where + ": " + reason;
    }
  }
}
