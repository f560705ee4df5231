package dev.tracewire.propagation;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.List;

/**
 * What the universal propagator saw on one inbound request, kept in the {@link Context} it returned
 * from extract, so the entry span can record it as {@link HopAttributes}.
 */
public final class HopDiagnostics {

  /** Returns the diagnostics extract stored in {@code context}, or {@code null} when none. */
  public static HopDiagnostics fromContext(Context context) {
    throw new UnsupportedOperationException("pending");
  }

  /** Every format present on the request, valid or not, in precedence order. */
  public List<FormatReading> readings() {
    throw new UnsupportedOperationException("pending");
  }

  /** Formats present on the request. */
  public List<Format> received() {
    throw new UnsupportedOperationException("pending");
  }

  /** Formats present but malformed. */
  public List<Format> invalid() {
    throw new UnsupportedOperationException("pending");
  }

  /** The format that became the parent, or {@code null} when none did. */
  public Format used() {
    throw new UnsupportedOperationException("pending");
  }

  /** Valid formats that disagree with {@link #used()} on trace or parent id. */
  public List<Format> conflicts() {
    throw new UnsupportedOperationException("pending");
  }

  /**
   * The caller's span as sent (from the used format), even when a trust boundary refused to
   * continue it; {@link SpanContext#getInvalid()} when none arrived.
   */
  public SpanContext remoteParent() {
    throw new UnsupportedOperationException("pending");
  }

  /** Whether a trust boundary refused the remote parent and a new trace was started. */
  public boolean trustBoundaryApplied() {
    throw new UnsupportedOperationException("pending");
  }

  /** Envoy's {@code x-request-id} as received, or {@code null}. */
  public String requestId() {
    throw new UnsupportedOperationException("pending");
  }

  /** These diagnostics as entry-span attributes, named by {@link HopAttributes}. */
  public Attributes toAttributes() {
    throw new UnsupportedOperationException("pending");
  }
}
