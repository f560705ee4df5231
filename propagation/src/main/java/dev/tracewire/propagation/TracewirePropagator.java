package dev.tracewire.propagation;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;

/**
 * The universal propagator ({@code otel.propagators=tracewire}): reads every format present with a
 * fixed precedence, never lets a later format overwrite an earlier one, merges baggage, records
 * {@link HopDiagnostics} and injects the formats the fleet speaks.
 *
 * <pre>{@code
 * TextMapPropagator propagator = TracewirePropagator.create();
 * Context extracted = propagator.extract(Context.current(), request, getter);
 * }</pre>
 */
public final class TracewirePropagator implements TextMapPropagator {

  /** Returns a propagator with the documented defaults. */
  public static TracewirePropagator create() {
    return newBuilder().build();
  }

  /** Returns a builder starting from the documented defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Extracts from {@code carrier} and returns what was seen; the same as {@code
   * HopDiagnostics.fromContext(extract(Context.root(), carrier, getter))}.
   */
  public <C> HopDiagnostics inspect(C carrier, TextMapGetter<C> getter) {
    throw new UnsupportedOperationException("pending");
  }

  @Override
  public Collection<String> fields() {
    throw new UnsupportedOperationException("pending");
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    throw new UnsupportedOperationException("pending");
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    throw new UnsupportedOperationException("pending");
  }

  /** Configures a {@link TracewirePropagator}. */
  public static final class Builder {
    Builder() {}

    /**
     * Sets the order in which trace formats are tried on extract; the first valid one becomes the
     * parent. Default: {@code TRACECONTEXT, B3, B3_MULTI, JAEGER, SENTRY}.
     */
    public Builder precedence(Format... formats) {
      throw new UnsupportedOperationException("pending");
    }

    /** Sets the formats always injected. Default: {@code TRACECONTEXT, BAGGAGE, REQUEST_ID}. */
    public Builder inject(Format... formats) {
      throw new UnsupportedOperationException("pending");
    }

    /**
     * Whether to also inject every format that arrived on this trace's inbound request, so a
     * service answers in its fleet's dialect. Default: {@code true}.
     */
    public Builder injectInbound(boolean injectInbound) {
      throw new UnsupportedOperationException("pending");
    }

    /**
     * Whether to refuse external context: extract then starts a new trace whose entry span links to
     * the external one. Default: {@code false}.
     */
    public Builder trustBoundary(boolean trustBoundary) {
      throw new UnsupportedOperationException("pending");
    }

    /** Returns the configured propagator. */
    public TracewirePropagator build() {
      throw new UnsupportedOperationException("pending");
    }
  }
}
