package dev.tracewire.server.analysis;

import java.util.List;
import java.util.Objects;

/**
 * One problem on one hop: its kind, the traces and spans it concerns (caller side first), the hop,
 * who is to blame, the evidence that says so and a one-sentence hint a person can act on.
 *
 * <pre>{@code
 * Finding f = Finding.newBuilder()
 *     .kind(FindingKind.CONTEXT_STRIPPED)
 *     .hop(new Hop("orders", "payments", Transport.HTTP))
 *     .traceIds(List.of(callerTrace, calleeTrace))
 *     .spanIds(List.of(exitSpan, entrySpan))
 *     .evidence("orders injected [tracecontext]; payments received nothing")
 *     .hint("Let traceparent through the proxy between orders and payments.")
 *     .build();
 * }</pre>
 */
public final class Finding {
  private final FindingKind kind;
  private final List<String> traceIds;
  private final List<String> spanIds;
  private final Hop hop;
  private final Blame blame;
  private final String evidence;
  private final String hint;
  private final long timeEpochNanos;
  private final Pairing pairing;

  private Finding(Builder b) {
    kind = Objects.requireNonNull(b.kind, "kind");
    hop = Objects.requireNonNull(b.hop, "hop");
    traceIds = List.copyOf(b.traceIds);
    spanIds = List.copyOf(b.spanIds);
    blame = b.blame != null ? b.blame : kind.defaultBlame();
    evidence = b.evidence;
    hint = b.hint;
    timeEpochNanos = b.timeEpochNanos;
    pairing = b.pairing;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public FindingKind kind() {
    return kind;
  }

  /** Lower-hex trace ids: the caller's side first, then the callee's when it is another trace. */
  public List<String> traceIds() {
    return traceIds;
  }

  /** Lower-hex span ids: the exit span first (when known), then the entry span, then others. */
  public List<String> spanIds() {
    return spanIds;
  }

  public Hop hop() {
    return hop;
  }

  public Blame blame() {
    return blame;
  }

  /** What was observed, naming attributes and values, e.g. which formats were injected. */
  public String evidence() {
    return evidence;
  }

  /** One sentence a person can act on. */
  public String hint() {
    return hint;
  }

  /** When the hop happened (start of its earliest span), in epoch nanoseconds. */
  public long timeEpochNanos() {
    return timeEpochNanos;
  }

  /** How the two sides were matched. */
  public Pairing pairing() {
    return pairing;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) return true;
    if (!(o instanceof Finding)) return false;
    Finding f = (Finding) o;
    return kind == f.kind
        && blame == f.blame
        && pairing == f.pairing
        && timeEpochNanos == f.timeEpochNanos
        && hop.equals(f.hop)
        && traceIds.equals(f.traceIds)
        && spanIds.equals(f.spanIds)
        && evidence.equals(f.evidence)
        && hint.equals(f.hint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, hop, traceIds, spanIds);
  }

  @Override
  public String toString() {
    return "Finding{"
        + kind.wireName()
        + " "
        + hop.from()
        + " -> "
        + hop.to()
        + " ("
        + hop.transport().wireName()
        + "), blame="
        + blame.wireName()
        + ", traces="
        + traceIds
        + ", spans="
        + spanIds
        + ", pairing="
        + pairing
        + ", evidence="
        + evidence
        + "}";
  }

  /** Builds a {@link Finding}; not thread-safe. */
  public static final class Builder {
    private FindingKind kind;
    private List<String> traceIds = List.of();
    private List<String> spanIds = List.of();
    private Hop hop;
    private Blame blame;
    private String evidence = "";
    private String hint = "";
    private long timeEpochNanos;
    private Pairing pairing = Pairing.NONE;

    Builder() {}

    public Builder kind(FindingKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    public Builder traceIds(List<String> traceIds) {
      this.traceIds = Objects.requireNonNull(traceIds, "traceIds");
      return this;
    }

    public Builder spanIds(List<String> spanIds) {
      this.spanIds = Objects.requireNonNull(spanIds, "spanIds");
      return this;
    }

    public Builder hop(Hop hop) {
      this.hop = Objects.requireNonNull(hop, "hop");
      return this;
    }

    /** Overrides the kind's {@link FindingKind#defaultBlame() default blame}. */
    public Builder blame(Blame blame) {
      this.blame = Objects.requireNonNull(blame, "blame");
      return this;
    }

    public Builder evidence(String evidence) {
      this.evidence = evidence == null ? "" : evidence;
      return this;
    }

    public Builder hint(String hint) {
      this.hint = hint == null ? "" : hint;
      return this;
    }

    public Builder timeEpochNanos(long timeEpochNanos) {
      this.timeEpochNanos = timeEpochNanos;
      return this;
    }

    public Builder pairing(Pairing pairing) {
      this.pairing = Objects.requireNonNull(pairing, "pairing");
      return this;
    }

    public Finding build() {
      return new Finding(this);
    }
  }
}
