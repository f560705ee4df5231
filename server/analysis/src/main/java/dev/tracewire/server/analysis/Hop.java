package dev.tracewire.server.analysis;

import java.util.Objects;

/**
 * A call or message between two services: caller service, callee service and transport. A side that
 * cannot be named is {@value #UNKNOWN_SERVICE}.
 *
 * <p>{@code Hop hop = new Hop("orders", "payments", Transport.HTTP);}
 */
public record Hop(String from, String to, Transport transport) {
  /** The service name used when a side of the hop never arrived or cannot be told. */
  public static final String UNKNOWN_SERVICE = "unknown";

  public Hop {
    from = from == null || from.isEmpty() ? UNKNOWN_SERVICE : from;
    to = to == null || to.isEmpty() ? UNKNOWN_SERVICE : to;
    Objects.requireNonNull(transport, "transport");
  }
}
