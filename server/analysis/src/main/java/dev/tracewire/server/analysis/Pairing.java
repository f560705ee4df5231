package dev.tracewire.server.analysis;

/** How the two sides of a hop were matched; lets accuracy be measured per kind of evidence. */
public enum Pairing {
  /**
   * Parent or link ids, {@code remote_parent}, message id, Kafka offset or {@code x-request-id}.
   */
  EXACT,
  /** Peer address, route, method and time overlap. */
  HEURISTIC,
  /** One side only; the other never arrived or could not be told apart. */
  NONE
}
