package dev.tracewire.benchmarks.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Keeps the load tools on this machine: they refuse any URL that is not a loopback address. */
final class Loopback {
  private Loopback() {}

  static void require(URI url) {
    try {
      if (url.getHost() == null || !InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException("url: " + url + " (expected: a loopback address)");
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("url: " + url + " (expected: a loopback address)", e);
    }
  }
}
