package dev.tracewire.server.analysis;

import dev.tracewire.server.model.TraceId;
import java.util.List;

/** One side of a hop that its own trace could not pair: an exit with no entry, or a lone entry. */
final class Side {
  /** Why an entry is lone. */
  enum Lone {
    /** A SERVER/CONSUMER that starts its trace (or sits under a proxy that does). */
    ROOT,
    /** Its parent is not in its trace. */
    ORPHAN
  }

  /** Slimmed when the side starts waiting in a pool. */
  SpanFacts facts;

  final TraceId traceId;
  final long closedAt;
  final long seq;
  boolean done;

  /** Held in the analyzer's pools (counted as pending). */
  boolean pooled;

  // exits
  /** x-request-id values seen on the exit or on proxy spans under it. */
  List<String> requestIds = List.of();

  /** A proxy span under the exit was reported: the context reached the mesh. */
  String proxyBelow;

  /** A sibling exit with the same name and parent reached its callee: this one is a retry. */
  boolean retryOfPaired;

  /** A consumer links to it, or pairs with it: messaging exits may serve many. */
  boolean satisfied;

  /** Services that consumed this producer's message already (in its trace, or by pairing). */
  java.util.Set<String> consumedBy = java.util.Set.of();

  /**
   * An inbound (SERVER) proxy below the exit joined its trace: the context reached the callee's
   * sidecar.
   */
  String calleeProxyBelow;

  // entries
  Lone lone;

  /** For an orphan: the parent id that never arrived (above any proxies in between). */
  long missingParent;

  /** The trace has a root span (so an orphan lost a parent in the middle). */
  boolean traceHasRoot;

  /** The proxy span that starts the entry's trace, if any. */
  String proxyAbove;

  /** The other-service span whose window holds the orphan: the likely reporter of its parent. */
  String enclosingService;

  Side(SpanFacts facts, TraceId traceId, long closedAt, long seq) {
    this.facts = facts;
    this.traceId = traceId;
    this.closedAt = closedAt;
    this.seq = seq;
  }

  long start() {
    return facts.span.startEpochNanos();
  }

  long end() {
    return facts.span.endEpochNanos();
  }

  @Override
  public String toString() {
    return (lone == null ? "exit " : "entry(" + lone + ") ")
        + facts.service
        + " "
        + facts.span.name()
        + " "
        + facts.span.spanIdHex();
  }
}
