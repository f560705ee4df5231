package dev.tracewire.propagation;

import io.opentelemetry.api.trace.SpanContext;

/**
 * What extract read from one format on one request: whether it was valid, why not, and the span
 * context it carried (128-bit trace id, 64-bit ids left-padded).
 *
 * @param format the format read
 * @param valid whether the format's headers parsed into a usable span context
 * @param reason why the format is invalid, one line; {@code null} when valid
 * @param spanContext the remote span context carried; {@link SpanContext#getInvalid()} when none
 * @param sampled the sampling decision carried: {@code null} when the format defers it
 * @param debug whether the format asked for debug (B3 {@code d}, {@code X-B3-Flags: 1})
 */
public record FormatReading(
    Format format,
    boolean valid,
    String reason,
    SpanContext spanContext,
    Boolean sampled,
    boolean debug) {}
