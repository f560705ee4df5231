package dev.tracewire.server.simulator;

import java.util.List;

/**
 * One line of ground truth: an injected fault (kind = the finding it should produce) or an intact
 * hop ({@code kind = "intact"}), with the traces and spans concerned (exit first), the hop, the
 * party really at fault, whether exact pairing evidence reached the spans ({@code exact}) or only
 * peer/route/timing does ({@code heuristic}), and which sides report tracewire hop diagnostics
 * ({@code both}, {@code caller}, {@code callee}, {@code none}).
 */
public record Truth(
    String kind,
    List<String> traceIds,
    List<String> spanIds,
    String from,
    String to,
    String transport,
    String blame,
    String evidence,
    String diagnostics) {
  /** The kind of a hop that stayed whole. */
  public static final String INTACT = "intact";

  public Truth {
    traceIds = List.copyOf(traceIds);
    spanIds = List.copyOf(spanIds);
  }

  /** True for an injected fault, false for an intact hop. */
  public boolean isFault() {
    return !kind.equals(INTACT);
  }

  /**
   * True when exact pairing evidence (remote_parent, ids, x-request-id, message id, offset) exists.
   */
  public boolean exact() {
    return evidence.equals("exact");
  }
}
