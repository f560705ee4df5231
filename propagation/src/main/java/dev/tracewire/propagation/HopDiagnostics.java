package dev.tracewire.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What the universal propagator saw on one inbound request, kept in the {@link Context} it returned
 * from extract, so the entry span can record it as {@link HopAttributes}.
 *
 * <pre>{@code
 * Context extracted = TracewirePropagator.create().extract(Context.root(), headers, getter);
 * HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted); // never null here
 * entrySpan.setAllAttributes(diagnostics.toAttributes());
 * }</pre>
 */
public final class HopDiagnostics {
  /**
   * The semantic-conventions captured request header carrying Envoy's request id; the server pairs
   * the two sides of a hop by it.
   */
  public static final AttributeKey<List<String>> REQUEST_ID_HEADER =
      AttributeKey.stringArrayKey("http.request.header.x-request-id");

  static final ContextKey<HopDiagnostics> KEY = ContextKey.named("tracewire-hop-diagnostics");

  /** Shared by every request on which nothing arrived, so that extract allocates nothing then. */
  static final HopDiagnostics EMPTY =
      new HopDiagnostics(null, null, 0, 0, 0, 0, null, SpanContext.getInvalid(), false, null, null);

  // the first reading on its own: most requests carry one format, and then no array is allocated
  private final FormatReading first;
  private final FormatReading[] readings;
  private final int readingCount;
  private final int received;
  private final int invalid;
  private final int conflicts;
  private final Format used;
  private final SpanContext remoteParent;
  private final boolean trustBoundaryApplied;
  private final String requestId;
  private final Baggage baggage;

  /** {@code readings} holds all {@code readingCount} readings, or is null when there is one. */
  HopDiagnostics(
      FormatReading first,
      FormatReading[] readings,
      int readingCount,
      int received,
      int invalid,
      int conflicts,
      Format used,
      SpanContext remoteParent,
      boolean trustBoundaryApplied,
      String requestId,
      Baggage baggage) {
    this.first = first;
    this.readings = readings;
    this.readingCount = readingCount;
    this.received = received;
    this.invalid = invalid;
    this.conflicts = conflicts;
    this.used = used;
    this.remoteParent = remoteParent;
    this.trustBoundaryApplied = trustBoundaryApplied;
    this.requestId = requestId;
    this.baggage = baggage;
  }

  /** Returns the diagnostics extract stored in {@code context}, or {@code null} when none. */
  public static HopDiagnostics fromContext(Context context) {
    return context == null ? null : context.get(KEY);
  }

  /**
   * Every format present on the request, valid or not: trace formats in precedence order, then
   * baggage and request id.
   */
  public List<FormatReading> readings() {
    // built on demand: the hot path (extract, then toAttributes) never asks for it
    if (readingCount == 0) return List.of();
    if (readings == null) return List.of(first);
    return List.of(Arrays.copyOf(readings, readingCount));
  }

  /** Formats present on the request, in {@link Format} declaration order. */
  public List<Format> received() {
    return Formats.formats(received);
  }

  /** Formats present but malformed. */
  public List<Format> invalid() {
    return Formats.formats(invalid);
  }

  /**
   * The format whose span context was chosen as the parent, or {@code null} when none was valid. At
   * a trust boundary it is the format whose parent was refused (see {@link
   * #trustBoundaryApplied()}).
   */
  public Format used() {
    return used;
  }

  /** Valid formats that disagree with {@link #used()} on trace or parent id. */
  public List<Format> conflicts() {
    return Formats.formats(conflicts);
  }

  /**
   * The caller's span as sent (from the used format), even when a trust boundary refused to
   * continue it; {@link SpanContext#getInvalid()} when none arrived.
   */
  public SpanContext remoteParent() {
    return remoteParent;
  }

  /** Whether a trust boundary refused the remote parent and a new trace was started. */
  public boolean trustBoundaryApplied() {
    return trustBoundaryApplied;
  }

  /** Envoy's {@code x-request-id} as received, or {@code null}. */
  public String requestId() {
    return requestId;
  }

  /**
   * The baggage merged from W3C {@code baggage} and Jaeger {@code uberctx-*} headers (W3C wins on a
   * duplicate key); empty when none arrived. Also what extract put in the context, except at a
   * trust boundary.
   */
  public Baggage baggage() {
    return baggage == null ? Baggage.empty() : baggage;
  }

  /** Bit mask of {@link #received()}; lets inject skip building lists. */
  int receivedMask() {
    return received;
  }

  Baggage baggageOrNull() {
    return baggage;
  }

  /**
   * These diagnostics as entry-span attributes, named by {@link HopAttributes}: {@code received}
   * always (empty when nothing arrived), {@code invalid}, {@code used}, {@code conflict} and {@code
   * remote_parent} only when they have a value, and {@link #REQUEST_ID_HEADER} when a request id
   * arrived.
   */
  public Attributes toAttributes() {
    AttributesBuilder builder = Attributes.builder();
    putAttributes(builder);
    return builder.build();
  }

  /**
   * Puts the attributes {@link #toAttributes()} names straight into {@code builder} (an attributes
   * extractor's): no intermediate {@link Attributes} to build, sort and copy on every hop.
   */
  public void putAttributes(AttributesBuilder builder) {
    builder.put(HopAttributes.RECEIVED, Formats.ids(received));
    if (invalid != 0) builder.put(HopAttributes.INVALID, Formats.ids(invalid));
    if (used != null) builder.put(HopAttributes.USED, used.id());
    if (conflicts != 0) builder.put(HopAttributes.CONFLICT, Formats.ids(conflicts));
    if (remoteParent.isValid()) builder.put(HopAttributes.REMOTE_PARENT, remoteParent.getSpanId());
    if (requestId != null) builder.put(REQUEST_ID_HEADER, Collections.singletonList(requestId));
  }

  @Override
  public String toString() {
    return "HopDiagnostics{received="
        + Formats.ids(received)
        + ", invalid="
        + Formats.ids(invalid)
        + ", used="
        + (used == null ? null : used.id())
        + ", conflict="
        + Formats.ids(conflicts)
        + ", remoteParent="
        + (remoteParent.isValid() ? remoteParent.getTraceId() + "/" + remoteParent.getSpanId() : "")
        + ", trustBoundaryApplied="
        + trustBoundaryApplied
        + (requestId == null ? "" : ", requestId=" + requestId)
        + "}";
  }
}
