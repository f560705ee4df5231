package dev.tracewire.testing;

import dev.tracewire.propagation.HopAttributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The spans of one trace as captured by a {@link TraceCapture}, with the other spans captured at
 * the same time, so that a broken hop can be followed to the trace the callee started instead.
 *
 * <pre>{@code
 * CapturedTrace trace = capture.awaitTrace(traceId, 4);
 * for (Hop hop : trace.hops()) System.out.println(hop + (hop.intact() ? " intact" : " broken"));
 * }</pre>
 */
public final class CapturedTrace {
  private final String traceId;
  private final List<SpanData> spans;
  private final List<SpanData> captured;

  CapturedTrace(String traceId, List<SpanData> captured) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
    this.captured = List.copyOf(captured);
    this.spans =
        this.captured.stream()
            .filter(s -> s.getTraceId().equals(traceId))
            .collect(Collectors.toUnmodifiableList());
  }

  /** The trace id. */
  public String traceId() {
    return traceId;
  }

  /** The spans of this trace, in the order they finished. */
  public List<SpanData> spans() {
    return spans;
  }

  /** Every span captured when this snapshot was taken, of any trace. */
  public List<SpanData> capturedSpans() {
    return captured;
  }

  /** The services that reported spans of this trace, in order of first appearance. */
  public Set<String> services() {
    Set<String> services = new LinkedHashSet<>();
    for (SpanData span : spans) services.add(Spans.service(span));
    return services;
  }

  /**
   * Every hop out of this trace: for each exit span of the trace, the entry spans that are its
   * children or link to it (intact), or else the captured entry span that most likely lost it.
   */
  public List<Hop> hops() {
    Set<SpanData> claimed = new HashSet<>();
    List<SpanData> exits = new ArrayList<>();
    List<Hop> hops = new ArrayList<>();
    for (SpanData exit : spans) {
      if (!Spans.isExit(exit)) continue;
      exits.add(exit);
      for (SpanData entry : captured) {
        if (!Spans.isEntry(entry)) continue;
        boolean child =
            entry.getTraceId().equals(exit.getTraceId())
                && entry.getParentSpanId().equals(exit.getSpanId());
        boolean linked = !child && linksTo(entry, exit.getSpanContext());
        if (child || linked) {
          claimed.add(entry);
          hops.add(hop(exit, entry, true, linked));
        }
      }
    }
    for (SpanData exit : exits) {
      boolean paired = hops.stream().anyMatch(h -> h.exit() == exit);
      if (paired) continue;
      SpanData lost = lostEntry(exit, claimed);
      if (lost != null) claimed.add(lost);
      hops.add(hop(exit, lost, false, false));
    }
    return Collections.unmodifiableList(hops);
  }

  private static Hop hop(SpanData exit, SpanData entry, boolean intact, boolean linked) {
    String transport = Spans.transport(exit);
    if (transport.equals("unknown") && entry != null) transport = Spans.transport(entry);
    return new Hop(
        Spans.service(exit),
        entry == null ? null : Spans.service(entry),
        transport,
        exit,
        entry,
        intact,
        linked);
  }

  static boolean linksTo(SpanData entry, SpanContext exit) {
    for (LinkData link : entry.getLinks()) {
      SpanContext linked = link.getSpanContext();
      if (linked.getTraceId().equals(exit.getTraceId())
          && linked.getSpanId().equals(exit.getSpanId())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entry span that most likely came from {@code exit} but did not continue it: exact evidence
   * first (the caller's span id as sent, x-request-id, message id, Kafka offset), then a span of
   * another service that entered without a captured parent while the exit span was open.
   */
  private SpanData lostEntry(SpanData exit, Set<SpanData> claimed) {
    List<SpanData> candidates = new ArrayList<>();
    for (SpanData entry : captured) {
      if (Spans.isEntry(entry) && !claimed.contains(entry) && !hasCapturedParent(entry)) {
        candidates.add(entry);
      }
    }
    for (SpanData entry : candidates) {
      if (exit.getSpanId().equals(entry.getAttributes().get(HopAttributes.REMOTE_PARENT))) {
        return entry;
      }
    }
    List<String> requestId = exit.getAttributes().get(Spans.REQUEST_ID);
    if (requestId != null && !requestId.isEmpty()) {
      for (SpanData entry : candidates) {
        if (requestId.equals(entry.getAttributes().get(Spans.REQUEST_ID))) return entry;
      }
    }
    String messageId = exit.getAttributes().get(Spans.MESSAGE_ID);
    if (messageId != null) {
      for (SpanData entry : candidates) {
        if (messageId.equals(entry.getAttributes().get(Spans.MESSAGE_ID))) return entry;
      }
    }
    Long offset = exit.getAttributes().get(Spans.KAFKA_OFFSET);
    if (offset != null) {
      for (SpanData entry : candidates) {
        if (offset.equals(entry.getAttributes().get(Spans.KAFKA_OFFSET))
            && Objects.equals(
                exit.getAttributes().get(Spans.PARTITION),
                entry.getAttributes().get(Spans.PARTITION))
            && Objects.equals(
                exit.getAttributes().get(Spans.DESTINATION),
                entry.getAttributes().get(Spans.DESTINATION))) {
          return entry;
        }
      }
    }
    String service = Spans.service(exit);
    String transport = Spans.transport(exit);
    SpanData best = null;
    for (SpanData entry : candidates) {
      if (Spans.service(entry).equals(service)) continue;
      if (!Spans.transportMatches(Spans.transport(entry), transport)) continue;
      if (entry.getStartEpochNanos() < exit.getStartEpochNanos()) continue;
      // a request's callee starts while the call is open; a message may be consumed much later
      boolean request = transport.equals("http") || transport.equals("grpc");
      if (request && entry.getStartEpochNanos() > exit.getEndEpochNanos()) continue;
      if (best == null || entry.getStartEpochNanos() < best.getStartEpochNanos()) best = entry;
    }
    return best;
  }

  private boolean hasCapturedParent(SpanData span) {
    if (!span.getParentSpanContext().isValid()) return false;
    for (SpanData other : captured) {
      if (other.getTraceId().equals(span.getTraceId())
          && other.getSpanId().equals(span.getParentSpanId())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "trace "
        + traceId
        + " ("
        + spans.size()
        + " spans: "
        + spans.stream().map(Spans::brief).collect(Collectors.toList())
        + ")";
  }
}
