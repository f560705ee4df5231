package dev.tracewire.testing;

import dev.tracewire.propagation.HopAttributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a {@link CapturedTrace} that read like the question a user asks, and say
 * which hop broke and how when they fail.
 *
 * <pre>{@code
 * TraceAssert.assertThat(capture.trace(traceId))
 *     .isUnbroken()
 *     .hasHop("orders", "payments", "http")
 *     .hasHop("payments", "ledger", "kafka");
 * }</pre>
 */
public final class TraceAssert extends AbstractAssert<TraceAssert, CapturedTrace> {

  /** Starts assertions on {@code trace}. */
  public static TraceAssert assertThat(CapturedTrace trace) {
    return new TraceAssert(trace);
  }

  private TraceAssert(CapturedTrace trace) {
    super(trace, TraceAssert.class);
  }

  /**
   * Verifies the trace is one tree: it has spans, exactly one root, every parent was reported, and
   * no exit span's callee started or continued another trace.
   */
  public TraceAssert isUnbroken() {
    isNotNull();
    List<SpanData> spans = actual.spans();
    if (spans.isEmpty()) {
      failWithMessage(
          "trace %s has no spans; captured: %s",
          actual.traceId(), traceIds(actual.capturedSpans()));
    }
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (SpanData span : spans) ids.add(span.getSpanId());
    List<SpanData> roots = new ArrayList<>();
    for (SpanData span : spans) {
      if (!span.getParentSpanContext().isValid()) {
        roots.add(span);
      } else if (!ids.contains(span.getParentSpanId())) {
        problems.add(
            Spans.describe(span)
                + " has parent "
                + span.getParentSpanId()
                + ", which was never reported (missing_span)");
      }
    }
    if (roots.size() > 1) {
      problems.add(
          "trace has "
              + roots.size()
              + " roots: "
              + roots.stream().map(Spans::brief).collect(Collectors.toList()));
    }
    for (Hop hop : actual.hops()) {
      if (!hop.intact() && hop.entry() != null) problems.add(explain(hop));
    }
    if (!problems.isEmpty()) {
      failWithMessage(
          "expected trace %s to be unbroken, but:%n  %s%n%s",
          actual.traceId(), String.join(System.lineSeparator() + "  ", problems), actual);
    }
    return this;
  }

  /**
   * Verifies an exit span of {@code from} in this trace caused an entry span of {@code to} as its
   * child (or, for batch consumers, linking to it) over {@code transport}: {@code http}, {@code
   * grpc}, {@code kafka}, {@code rabbitmq}, {@code nats}, {@code mqtt}, {@code redis}, or {@code
   * messaging} for any broker.
   */
  public TraceAssert hasHop(String from, String to, String transport) {
    isNotNull();
    List<Hop> hops = actual.hops();
    String name = from + " -> " + to + " (" + transport + ")";
    for (Hop hop : hops) {
      if (hop.intact()
          && hop.from().equals(from)
          && to.equals(hop.to())
          && Spans.transportMatches(hop.transport(), transport)) {
        return this;
      }
    }
    for (Hop hop : hops) {
      if (!hop.intact()
          && hop.from().equals(from)
          && to.equals(hop.to())
          && Spans.transportMatches(hop.transport(), transport)) {
        failWithMessage("%s%n%s", explain(hop), actual);
      }
    }
    for (Hop hop : hops) {
      if (hop.intact() && hop.from().equals(from) && to.equals(hop.to())) {
        failWithMessage(
            "hop %s: the hop exists but its transport is %s (%s -> %s)%n%s",
            name, hop.transport(), Spans.brief(hop.exit()), Spans.brief(hop.entry()), actual);
      }
    }
    List<SpanData> exits =
        actual.spans().stream()
            .filter(s -> Spans.isExit(s) && Spans.service(s).equals(from))
            .collect(Collectors.toList());
    if (exits.isEmpty()) {
      failWithMessage(
          "hop %s: %s has no exit span (CLIENT or PRODUCER) in trace %s; services in it: %s%n%s",
          name, from, actual.traceId(), actual.services(), actual);
    }
    List<SpanData> entries =
        actual.capturedSpans().stream()
            .filter(s -> Spans.isEntry(s) && Spans.service(s).equals(to))
            .collect(Collectors.toList());
    if (entries.isEmpty()) {
      failWithMessage(
          "hop %s: %s reported no entry span (SERVER or CONSUMER) at all; %s exit spans: %s%n%s",
          name,
          to,
          Spans.possessive(from),
          exits.stream().map(s -> Spans.brief(s) + " injected " + Spans.injected(s)).toList(),
          actual);
    }
    failWithMessage(
        "hop %s: no entry span of %s is a child of (or linked to) an exit span of %s;%n"
            + "  %s exit spans: %s%n  %s entry spans: %s%n%s",
        name,
        to,
        from,
        Spans.possessive(from),
        exits.stream().map(Spans::brief).toList(),
        Spans.possessive(to),
        entries.stream().map(s -> Spans.brief(s) + " parent " + s.getParentSpanId()).toList(),
        actual);
    return this;
  }

  /** Verifies the trace has exactly {@code count} spans. */
  public TraceAssert hasSpanCount(int count) {
    isNotNull();
    if (actual.spans().size() != count) {
      failWithMessage(
          "expected trace %s to have %s spans but it has %s%n%s",
          actual.traceId(), count, actual.spans().size(), actual);
    }
    return this;
  }

  /**
   * {@code hop orders -> payments (http): payments' SERVER span GET /pay started a new trace; it
   * received [] while orders injected [tracecontext, baggage] (context_stripped: ...)}.
   */
  static String explain(Hop hop) {
    SpanData exit = hop.exit();
    SpanData entry = hop.entry();
    if (entry == null) {
      return "hop " + hop + ": " + Spans.describe(exit) + " reached no captured entry span";
    }
    StringBuilder b = new StringBuilder("hop ").append(hop).append(": ");
    b.append(Spans.describe(entry));
    if (entry.getTraceId().equals(exit.getTraceId())) {
      b.append(" stayed in the trace but its parent is ").append(entry.getParentSpanId());
      b.append(", not ").append(Spans.possessive(hop.from())).append(' ').append(exit.getKind());
      b.append(" span ").append(exit.getSpanId());
    } else if (entry.getParentSpanContext().isValid()) {
      b.append(" continued another trace ").append(entry.getTraceId());
      b.append(" (parent ").append(entry.getParentSpanId()).append(')');
    } else {
      b.append(" started a new trace");
    }
    List<String> received = Spans.received(entry);
    List<String> injected = Spans.injected(exit);
    b.append("; it received ").append(received == null ? "(not recorded)" : received);
    String used = entry.getAttributes().get(HopAttributes.USED);
    if (used != null) b.append(" (used ").append(used).append(')');
    b.append(" while ").append(hop.from()).append(" injected ");
    b.append(injected == null ? "(not recorded)" : injected);
    b.append(blame(received, injected, used));
    return b.toString();
  }

  private static String blame(List<String> received, List<String> injected, String used) {
    if (received == null || injected == null) return "";
    if (!hasTraceFormat(injected)) {
      return " (context_not_injected: the caller sent no trace headers)";
    }
    if (!hasTraceFormat(received)) {
      return " (context_stripped: something between them dropped the headers)";
    }
    if (used != null) {
      return " (context_not_extracted: the callee read the headers but did not continue them)";
    }
    return " (format_mismatch: the callee received only formats it does not accept)";
  }

  private static boolean hasTraceFormat(List<String> formats) {
    for (String format : formats) {
      if (!format.equals("baggage") && !format.equals("xrequestid")) return true;
    }
    return false;
  }

  private static Set<String> traceIds(List<SpanData> spans) {
    return spans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
  }
}
