package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the evidence about one hop into a finding: kind, blame as precise as the evidence allows,
 * the evidence in words and a one-sentence hint. See README.md for the decision table.
 */
final class Verdict {
  /** The hop's transport: the exit's if it says, else the entry's. */
  static Transport transport(SpanFacts exit, SpanFacts entry) {
    if (exit != null && exit.transport != Transport.UNKNOWN) return exit.transport;
    if (entry != null) return entry.transport;
    return Transport.UNKNOWN;
  }

  static String destination(SpanFacts exit, SpanFacts entry) {
    if (exit != null && !exit.destination.isEmpty()) return exit.destination;
    return entry == null ? "" : entry.destination;
  }

  /** Both sides known, in different traces (or the entry an orphan of the exit's id). */
  static Finding paired(Side x, Side e, Pairing pairing, String how) {
    SpanFacts xf = x.facts;
    SpanFacts ef = e.facts;
    Transport t = transport(xf, ef);
    Hop hop = new Hop(xf.service, ef.service, t);
    List<String> injected = xf.traceFormatsInjected();
    String sent =
        injected == null
            ? xf.service + " reports no injection diagnostics"
            : xf.service + " injected " + injected;
    FindingKind kind;
    Blame blame;
    String what;
    String hint;
    if (ef.conflict != null && !ef.conflict.isEmpty()) {
      kind = FindingKind.CONTEXT_CONFLICT;
      what = ef.service + " used " + ef.used + " but " + ef.conflict + " disagreed";
      blame = conflictBlame(injected);
      hint = conflictHint(hop, ef, blame);
    } else if (e.proxyAbove != null) {
      // the callee joined the proxy in front of it: the context was lost before that proxy
      boolean none = injected != null && injected.isEmpty();
      kind = none ? FindingKind.CONTEXT_NOT_INJECTED : FindingKind.CONTEXT_STRIPPED;
      blame = none ? Blame.CALLER : Blame.PATH;
      what = "the new trace starts at proxy span '" + e.proxyAbove + "' in front of " + ef.service;
      hint =
          none ? notInjectedHint(hop) : strippedHint(hop, injected == null ? List.of() : injected);
    } else if (ef.hasDiagnostics()) {
      List<String> valid = ef.validTraceFormatsReceived();
      List<String> invalid = ef.invalidTraceFormatsReceived();
      if (!valid.isEmpty() && ef.used != null) {
        kind = FindingKind.CONTEXT_NOT_EXTRACTED;
        blame = Blame.CALLEE;
        what =
            ef.service
                + " received valid "
                + valid
                + " (used "
                + ef.used
                + ") yet started a new trace";
        hint = notExtractedHint(hop);
      } else if (!valid.isEmpty()) {
        kind = FindingKind.FORMAT_MISMATCH;
        blame = Blame.CALLEE_CONFIG;
        what = ef.service + " received only " + valid + " and accepted none of them";
        hint = mismatchHint(hop, valid);
      } else if (!invalid.isEmpty()) {
        kind = FindingKind.FORMAT_MISMATCH;
        blame = Blame.CALLER_OR_PATH;
        what = ef.service + " received malformed " + invalid;
        hint = malformedHint(hop, invalid);
      } else if (injected != null && !injected.isEmpty()) {
        kind = FindingKind.CONTEXT_STRIPPED;
        blame = Blame.PATH;
        what = ef.service + " received no trace headers";
        hint = strippedHint(hop, injected);
      } else if (injected != null) {
        kind = FindingKind.CONTEXT_NOT_INJECTED;
        blame = Blame.CALLER;
        what = ef.service + " received no trace headers";
        hint = notInjectedHint(hop);
      } else if (x.proxyBelow != null) {
        kind = FindingKind.CONTEXT_STRIPPED;
        blame = Blame.PATH;
        what =
            ef.service
                + " received no trace headers though proxy span '"
                + x.proxyBelow
                + "' joined "
                + xf.service
                + "'s trace";
        hint = strippedHint(hop, List.of());
      } else {
        kind = FindingKind.CONTEXT_NOT_INJECTED;
        blame = Blame.CALLER_OR_PATH;
        what = ef.service + " received no trace headers";
        hint = notInjectedOrStrippedHint(hop);
      }
    } else if (x.calleeProxyBelow != null) {
      // the callee's own sidecar joined the caller's trace; nothing strips between it and the app
      kind = FindingKind.CONTEXT_NOT_EXTRACTED;
      blame = Blame.CALLEE;
      what =
          "its sidecar '"
              + x.calleeProxyBelow
              + "' joined "
              + xf.service
              + "'s trace but "
              + ef.service
              + " started a new one";
      hint = notExtractedHint(hop);
    } else if (e.lone == Side.Lone.ORPHAN && e.missingParent == xf.span.spanId()) {
      kind = FindingKind.CONTEXT_CONFLICT;
      blame = Blame.CALLER_OR_PATH;
      what =
          ef.service
              + "'s parent is "
              + xf.service
              + "'s span but under trace "
              + e.traceId
              + " instead of "
              + x.traceId;
      hint =
          "The trace id changed between "
              + hop.from()
              + " and "
              + hop.to()
              + " (often a 64-bit id widened differently); send 128-bit ids in one format.";
    } else if (injected != null && !injected.isEmpty() && !readsAny(e, injected)) {
      kind = FindingKind.FORMAT_MISMATCH;
      blame = Blame.CALLEE_CONFIG;
      what = ef.service + " reports no diagnostics and started a new trace";
      hint = mismatchHint(hop, injected);
    } else if (injected != null && !injected.isEmpty()) {
      kind = FindingKind.CONTEXT_STRIPPED;
      blame = Blame.PATH_OR_CALLEE;
      what = ef.service + " reports no diagnostics and started a new trace";
      hint = strippedOrNotExtractedHint(hop, injected);
    } else if (injected != null) {
      kind = FindingKind.CONTEXT_NOT_INJECTED;
      blame = Blame.CALLER;
      what = ef.service + " started a new trace";
      hint = notInjectedHint(hop);
    } else if (x.proxyBelow != null) {
      kind = FindingKind.CONTEXT_STRIPPED;
      blame = Blame.PATH_OR_CALLEE;
      what =
          ef.service
              + " started a new trace though proxy span '"
              + x.proxyBelow
              + "' joined "
              + xf.service
              + "'s trace";
      hint = strippedOrNotExtractedHint(hop, List.of());
    } else {
      kind = FindingKind.CONTEXT_NOT_INJECTED;
      blame = Blame.CALLER_OR_PATH;
      what = ef.service + " started a new trace; neither side reports diagnostics";
      hint = notInjectedOrStrippedHint(hop);
    }
    return Finding.newBuilder()
        .kind(kind)
        .blame(blame)
        .hop(hop)
        .traceIds(traceIds(x, e))
        .spanIds(List.of(xf.span.spanIdHex(), ef.span.spanIdHex()))
        .evidence(sent + "; " + what + "; paired by " + how)
        .hint(hint)
        .timeEpochNanos(Math.min(xf.span.startEpochNanos(), ef.span.startEpochNanos()))
        .pairing(pairing)
        .build();
  }

  /**
   * An entry no exit could be paired with. Returns null for a legitimate new root (nothing
   * received, or nothing known).
   */
  static Finding loneEntry(Side e, String knownCaller, String reporter) {
    SpanFacts ef = e.facts;
    Span s = ef.span;
    if (e.lone == Side.Lone.ORPHAN) {
      if (ef.conflict != null && !ef.conflict.isEmpty()) {
        Hop hop = new Hop(e.enclosingService, ef.service, ef.transport);
        return single(
            FindingKind.CONTEXT_CONFLICT,
            Blame.CALLER_OR_PATH,
            hop,
            e,
            ef.service
                + " used "
                + ef.used
                + " but "
                + ef.conflict
                + " disagreed; its parent "
                + dev.tracewire.server.model.SpanId.toHex(e.missingParent)
                + " never arrived",
            conflictHint(hop, ef, Blame.CALLER_OR_PATH));
      }
      if (!e.traceHasRoot && knownCaller != null && ef.isEntry()) {
        Hop hop = new Hop(knownCaller, ef.service, ef.transport);
        return single(
            FindingKind.SAMPLING_SPLIT,
            Blame.CALLEE,
            hop,
            e,
            ef.service
                + " sampled trace "
                + e.traceId
                + " but nothing upstream of it was reported, though "
                + knownCaller
                + " reports its calls to "
                + ef.service
                + " in other traces",
            ef.service
                + " sampled a request "
                + knownCaller
                + " did not; give "
                + ef.service
                + " a parent-based sampler (otel.traces.sampler=parentbased_*).");
      }
      Hop hop =
          ef.isEntry()
              ? new Hop(reporter, ef.service, ef.transport)
              : new Hop(ef.service, ef.service, Transport.UNKNOWN);
      String who = reporter == null ? "the caller of " + ef.service : reporter;
      String missing = dev.tracewire.server.model.SpanId.toHex(e.missingParent);
      return Finding.newBuilder()
          .kind(FindingKind.MISSING_SPAN)
          .blame(Blame.REPORTER)
          .hop(hop)
          .traceIds(List.of(e.traceId.toHex()))
          .spanIds(List.of(missing, s.spanIdHex())) // the one that never arrived, then its child
          .evidence(
              ef.service
                  + "'s span "
                  + s.spanIdHex()
                  + " names parent "
                  + missing
                  + ", which never arrived"
                  + (e.traceHasRoot ? "" : " (the trace has no root)"))
          .hint(
              "Check "
                  + who
                  + "'s span export for drops (exporter queue size, timeouts) or a missing"
                  + " instrumentation that forwards context without reporting.")
          .timeEpochNanos(s.startEpochNanos())
          .pairing(Pairing.NONE)
          .build();
    }
    // a proxy in front of the callee started the trace (an ingress gateway): a legitimate root
    if (e.proxyAbove != null || !ef.hasDiagnostics()) return null;
    Hop hop = new Hop(Hop.UNKNOWN_SERVICE, ef.service, ef.transport);
    if (ef.conflict != null && !ef.conflict.isEmpty()) {
      return single(
          FindingKind.CONTEXT_CONFLICT,
          Blame.CALLER_OR_PATH,
          hop,
          e,
          ef.service + " used " + ef.used + " but " + ef.conflict + " disagreed",
          conflictHint(hop, ef, Blame.CALLER_OR_PATH));
    }
    List<String> valid = ef.validTraceFormatsReceived();
    List<String> invalid = ef.invalidTraceFormatsReceived();
    if (!valid.isEmpty() && ef.used != null) {
      return single(
          FindingKind.CONTEXT_NOT_EXTRACTED,
          Blame.CALLEE,
          hop,
          e,
          ef.service
              + " received valid "
              + valid
              + " (used "
              + ef.used
              + ") yet started a new trace",
          notExtractedHint(hop));
    }
    if (!valid.isEmpty()) {
      return single(
          FindingKind.FORMAT_MISMATCH,
          Blame.CALLEE_CONFIG,
          hop,
          e,
          ef.service + " received only " + valid + " and accepted none of them",
          mismatchHint(hop, valid));
    }
    if (!invalid.isEmpty()) {
      return single(
          FindingKind.FORMAT_MISMATCH,
          Blame.CALLER_OR_PATH,
          hop,
          e,
          ef.service + " received malformed " + invalid,
          malformedHint(hop, invalid));
    }
    return null;
  }

  /**
   * An exit nothing answered: informational, or a sampling split when the peer reports elsewhere.
   */
  static Finding loneExit(Side x, String peer, boolean peerReports) {
    SpanFacts xf = x.facts;
    Hop hop = new Hop(xf.service, peer, xf.transport);
    if (peerReports) {
      return Finding.newBuilder()
          .kind(FindingKind.SAMPLING_SPLIT)
          .blame(Blame.CALLEE)
          .hop(hop)
          .traceIds(List.of(x.traceId.toHex()))
          .spanIds(List.of(xf.span.spanIdHex()))
          .evidence(
              xf.service
                  + " sampled this call to "
                  + peer
                  + " but no span of "
                  + peer
                  + " arrived for it, though "
                  + peer
                  + " reports its calls from "
                  + xf.service
                  + " in other traces")
          .hint(
              peer
                  + " dropped a request "
                  + xf.service
                  + " sampled; give "
                  + peer
                  + " a parent-based sampler (otel.traces.sampler=parentbased_*).")
          .timeEpochNanos(xf.span.startEpochNanos())
          .pairing(Pairing.NONE)
          .build();
    }
    return Finding.newBuilder()
        .kind(FindingKind.UNPAIRED_EXIT)
        .hop(hop)
        .traceIds(List.of(x.traceId.toHex()))
        .spanIds(List.of(xf.span.spanIdHex()))
        .evidence(
            xf.service
                + " "
                + xf.span.kind()
                + " span '"
                + xf.span.name()
                + "' has no entry span in any trace")
        .hint(
            "If "
                + peer
                + " is one of yours, instrument it so its side of this hop is reported;"
                + " otherwise nothing to do.")
        .timeEpochNanos(xf.span.startEpochNanos())
        .pairing(Pairing.NONE)
        .build();
  }

  /** An intact cross-process hop whose child lies outside its parent's window, else null. */
  static Finding clockSkew(SpanFacts x, SpanFacts e, long tolerance) {
    if (x.service.equals(e.service)) return null;
    long before = x.span.startEpochNanos() - e.span.startEpochNanos();
    boolean request = x.span.kind() == dev.tracewire.server.model.SpanKind.CLIENT;
    long after = request ? e.span.endEpochNanos() - x.span.endEpochNanos() : 0;
    long off = Math.max(before, after);
    if (off <= tolerance) return null;
    Hop hop = new Hop(x.service, e.service, transport(x, e));
    String where =
        before >= after
            ? "starts " + millis(before) + " before"
            : "ends " + millis(after) + " after";
    return Finding.newBuilder()
        .kind(FindingKind.CLOCK_SKEW)
        .hop(hop)
        .traceIds(List.of(x.span.traceIdHex()))
        .spanIds(List.of(x.span.spanIdHex(), e.span.spanIdHex()))
        .evidence(e.service + "'s span " + where + " its parent in " + x.service)
        .hint(
            "Synchronise the clocks (NTP) of "
                + x.service
                + " and "
                + e.service
                + " hosts; until then the display shifts "
                + e.service
                + "'s spans.")
        .timeEpochNanos(x.span.startEpochNanos())
        .pairing(Pairing.EXACT)
        .build();
  }

  /** Formats disagreed on a hop that still joined its caller's trace. */
  static Finding conflictOnIntact(SpanFacts x, SpanFacts e) {
    if (e.conflict == null || e.conflict.isEmpty()) return null;
    List<String> injected = x.traceFormatsInjected();
    Blame blame = conflictBlame(injected);
    Hop hop = new Hop(x.service, e.service, transport(x, e));
    return Finding.newBuilder()
        .kind(FindingKind.CONTEXT_CONFLICT)
        .blame(blame)
        .hop(hop)
        .traceIds(List.of(e.span.traceIdHex()))
        .spanIds(List.of(x.span.spanIdHex(), e.span.spanIdHex()))
        .evidence(
            (injected == null
                    ? x.service + " reports no injection diagnostics"
                    : x.service + " injected " + injected)
                + "; "
                + e.service
                + " used "
                + e.used
                + " but "
                + e.conflict
                + " disagreed")
        .hint(conflictHint(hop, e, blame))
        .timeEpochNanos(x.span.startEpochNanos())
        .pairing(Pairing.EXACT)
        .build();
  }

  /**
   * The tracewire propagator writes every format from one context, so formats that disagree on a
   * request from a caller that reports injection were changed on the path.
   */
  private static Blame conflictBlame(List<String> injected) {
    return injected == null ? Blame.CALLER_OR_PATH : Blame.PATH;
  }

  /**
   * Whether a callee without diagnostics plausibly reads one of the formats sent: a new trace with
   * a 64-bit id comes from a B3 (Zipkin/Brave) stack, anything else from a W3C one.
   */
  private static boolean readsAny(Side e, List<String> injected) {
    boolean b3Native = e.traceId.high() == 0;
    if (b3Native) return injected.contains("b3") || injected.contains("b3multi");
    return injected.contains("tracecontext");
  }

  private static Finding single(
      FindingKind kind, Blame blame, Hop hop, Side e, String evidence, String hint) {
    return Finding.newBuilder()
        .kind(kind)
        .blame(blame)
        .hop(hop)
        .traceIds(List.of(e.traceId.toHex()))
        .spanIds(List.of(e.facts.span.spanIdHex()))
        .evidence(evidence)
        .hint(hint)
        .timeEpochNanos(e.facts.span.startEpochNanos())
        .pairing(Pairing.NONE)
        .build();
  }

  private static List<String> traceIds(Side x, Side e) {
    List<String> ids = new ArrayList<>(2);
    ids.add(x.traceId.toHex());
    if (!e.traceId.equals(x.traceId)) ids.add(e.traceId.toHex());
    return ids;
  }

  private static String notInjectedHint(Hop hop) {
    return hop.from()
        + " sends no trace headers on its "
        + hop.transport().wireName()
        + " calls to "
        + hop.to()
        + "; instrument that client (OpenTelemetry javaagent or the tracewire "
        + hop.transport().wireName()
        + " wrapper).";
  }

  private static String notInjectedOrStrippedHint(Hop hop) {
    return "No trace headers reached "
        + hop.to()
        + " from "
        + hop.from()
        + "; check that "
        + hop.from()
        + "'s "
        + hop.transport().wireName()
        + " client injects them (tracewire propagator records it) and that nothing between them"
        + " drops them.";
  }

  private static String strippedHint(Hop hop, List<String> formats) {
    String what = formats.isEmpty() ? "trace headers" : String.join(", ", formats) + " headers";
    return "Let "
        + what
        + " through the proxy, mesh, broker or gateway between "
        + hop.from()
        + " and "
        + hop.to()
        + ".";
  }

  private static String strippedOrNotExtractedHint(Hop hop, List<String> formats) {
    String what = formats.isEmpty() ? "trace headers" : String.join(", ", formats) + " headers";
    return "Check that "
        + what
        + " pass whatever sits between "
        + hop.from()
        + " and "
        + hop.to()
        + ", and that "
        + hop.to()
        + " extracts them (install the tracewire propagator there to tell which).";
  }

  private static String notExtractedHint(Hop hop) {
    return hop.to()
        + " received valid context but started a new trace; make its "
        + hop.transport().wireName()
        + " server instrumentation use the extracted context (keep Context.current() across"
        + " thread hops).";
  }

  private static String mismatchHint(Hop hop, List<String> formats) {
    String f = String.join(",", formats);
    return hop.to()
        + " receives only "
        + f
        + "; enable tracecontext,"
        + f
        + " in its otel.propagators or use the tracewire propagator.";
  }

  private static String malformedHint(Hop hop, List<String> formats) {
    return hop.to()
        + " received malformed "
        + String.join(",", formats)
        + " headers; fix the header writer in "
        + hop.from()
        + " or whatever rewrites them on the way.";
  }

  private static String conflictHint(Hop hop, SpanFacts e, Blame blame) {
    String who = blame == Blame.PATH ? "the proxy or gateway in front of " + hop.to() : hop.from();
    return "Trace formats on requests to "
        + hop.to()
        + " disagree ("
        + e.used
        + " vs "
        + String.join(",", e.conflict)
        + "); make "
        + who
        + " write one context in every format it sends.";
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1fms", nanos / 1e6);
  }

  private Verdict() {}
}
