package dev.tracewire.testing;

import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * One hop of a captured trace: an exit span (CLIENT or PRODUCER) and the entry span (SERVER or
 * CONSUMER) it caused, when one was captured. {@link #intact()} when the entry span is the exit
 * span's child or links to it; otherwise {@link #entry()} is the best guess of the entry span that
 * lost the context (or {@code null} when no candidate was captured).
 *
 * @param from the exit span's service
 * @param to the entry span's service, or {@code null} when no entry span was found
 * @param transport {@code http}, {@code grpc}, {@code kafka}, {@code rabbitmq}, ..., or {@code
 *     unknown}
 * @param exit the caller's exit span
 * @param entry the callee's entry span, or {@code null}
 * @param intact whether the entry span is the exit span's child or links to it
 * @param linked whether the hop is intact through a span link (batch consumers) rather than parent
 */
public record Hop(
    String from,
    String to,
    String transport,
    SpanData exit,
    SpanData entry,
    boolean intact,
    boolean linked) {

  /** {@code orders -> payments (http)}. */
  @Override
  public String toString() {
    return from + " -> " + (to == null ? "?" : to) + " (" + transport + ")";
  }
}
