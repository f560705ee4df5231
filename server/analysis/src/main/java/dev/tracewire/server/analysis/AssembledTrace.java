package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import java.util.List;
import java.util.Objects;

/**
 * The spans of one trace the {@link TraceAssembler} closed, in arrival order. A trace may close
 * more than once when spans arrive after it settled; each closing is a separate fragment.
 */
public final class AssembledTrace {
  private final TraceId traceId;
  private final List<Span> spans;
  private final long closedEpochNanos;

  private AssembledTrace(TraceId traceId, List<Span> spans, long closedEpochNanos) {
    this.traceId = Objects.requireNonNull(traceId, "traceId");
    this.spans = List.copyOf(spans);
    this.closedEpochNanos = closedEpochNanos;
  }

  /** A trace of {@code spans}, all with {@code traceId}, closed at {@code closedEpochNanos}. */
  public static AssembledTrace create(TraceId traceId, List<Span> spans, long closedEpochNanos) {
    return new AssembledTrace(traceId, spans, closedEpochNanos);
  }

  public TraceId traceId() {
    return traceId;
  }

  public List<Span> spans() {
    return spans;
  }

  /** The time passed to the call that closed it. */
  public long closedEpochNanos() {
    return closedEpochNanos;
  }

  @Override
  public String toString() {
    return "AssembledTrace{" + traceId + ", spans=" + spans.size() + "}";
  }
}
