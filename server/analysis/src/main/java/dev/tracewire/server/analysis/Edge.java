package dev.tracewire.server.analysis;

import java.util.Objects;

/**
 * A service-map edge: caller service, callee service, transport and, for messaging, the topic or
 * queue (else the empty string).
 *
 * <p>{@code Edge edge = new Edge("orders", "billing", Transport.KAFKA, "orders.created");}
 */
public record Edge(String from, String to, Transport transport, String destination) {
  public Edge {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(transport, "transport");
    destination = destination == null ? "" : destination;
  }

  /** The hop this edge carries (without the destination). */
  public Hop hop() {
    return new Hop(from, to, transport);
  }
}
