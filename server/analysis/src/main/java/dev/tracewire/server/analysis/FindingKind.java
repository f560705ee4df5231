package dev.tracewire.server.analysis;

/**
 * What went wrong on a hop, by the table in ARCHITECTURE.md; {@link #wireName()} is the stable name
 * in JSON and storage.
 *
 * <p>{@code FindingKind kind = FindingKind.fromWireName("context_stripped");}
 */
public enum FindingKind {
  /** The caller sent no trace headers. */
  CONTEXT_NOT_INJECTED("context_not_injected", Blame.CALLER, true),
  /** The caller injected, the callee received nothing. */
  CONTEXT_STRIPPED("context_stripped", Blame.PATH, true),
  /** The callee received valid headers but started a new trace. */
  CONTEXT_NOT_EXTRACTED("context_not_extracted", Blame.CALLEE, true),
  /** The callee received only formats it does not accept. */
  FORMAT_MISMATCH("format_mismatch", Blame.CALLEE_CONFIG, true),
  /** Formats on one request disagree on the trace. */
  CONTEXT_CONFLICT("context_conflict", Blame.CALLER_OR_PATH, true),
  /** A span's parent never arrived. */
  MISSING_SPAN("missing_span", Blame.REPORTER, true),
  /** One part of a trace was sampled, the rest not. */
  SAMPLING_SPLIT("sampling_split", Blame.CALLEE, true),
  /** An exit span with no entry anywhere (uninstrumented or external peer). */
  UNPAIRED_EXIT("unpaired_exit", Blame.INFORMATIONAL, false),
  /** A child outside its parent's window across processes. */
  CLOCK_SKEW("clock_skew", Blame.INFORMATIONAL, false);

  private static final FindingKind[] VALUES = values();

  private final String wireName;
  private final Blame defaultBlame;
  private final boolean isBreak;

  FindingKind(String wireName, Blame defaultBlame, boolean isBreak) {
    this.wireName = wireName;
    this.defaultBlame = defaultBlame;
    this.isBreak = isBreak;
  }

  /** The stable lower_snake name, e.g. {@code context_stripped}. */
  public String wireName() {
    return wireName;
  }

  /** The blame the table assigns when the evidence refines nothing. */
  public Blame defaultBlame() {
    return defaultBlame;
  }

  /**
   * True when a finding of this kind means the trace broke on its hop (counted as {@code broken} on
   * the edge); false for the informational kinds.
   */
  public boolean isBreak() {
    return isBreak;
  }

  /** Returns the kind with this wire name, or {@code null}. */
  public static FindingKind fromWireName(String wireName) {
    for (FindingKind k : VALUES) {
      if (k.wireName.equals(wireName)) return k;
    }
    return null;
  }
}
