package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.Connection;
import java.net.InetAddress;

/** The broker a channel talks to, read once per channel for {@code network.peer.*}. */
final class Peer {
  static final Peer UNKNOWN = new Peer(null, -1);

  final String address;
  final int port;

  private Peer(String address, int port) {
    this.address = address;
    this.port = port;
  }

  static Peer of(Connection connection) {
    if (connection == null) return UNKNOWN;
    try {
      InetAddress address = connection.getAddress();
      return new Peer(address == null ? null : address.getHostAddress(), connection.getPort());
    } catch (RuntimeException e) {
      // a wrapped or recovering connection may not know its socket yet
      return UNKNOWN;
    }
  }
}
