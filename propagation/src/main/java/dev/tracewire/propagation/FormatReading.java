package dev.tracewire.propagation;

import io.opentelemetry.api.trace.SpanContext;

/**
 * What extract read from one format on one request: whether it was valid, why not, and the span
 * context it carried (128-bit trace id, 64-bit ids left-padded).
 *
 * @param format the format read
 * @param valid whether the format's headers are well-formed; a well-formed B3 sampling-only header
 *     ({@code b3: 0}, {@code X-B3-Sampled} alone) is valid yet carries no span context, and so are
 *     baggage and request id, which carry none by nature
 * @param reason why the format is invalid, one line; {@code null} when valid
 * @param spanContext the remote span context carried, whole or not at all; {@link
 *     SpanContext#getInvalid()} when none
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
