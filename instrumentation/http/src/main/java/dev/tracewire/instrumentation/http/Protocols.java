package dev.tracewire.instrumentation.http;

/** Reading {@code HTTP/1.1}-style protocol strings into semconv name and version. */
final class Protocols {

  /** {@code http} for {@code HTTP/1.1}, else {@code null}. */
  static String name(String protocol) {
    return protocol != null && protocol.startsWith("HTTP/") ? "http" : null;
  }

  /** {@code 1.1} for {@code HTTP/1.1}, {@code 2} for {@code HTTP/2.0}, else {@code null}. */
  static String version(String protocol) {
    if (protocol == null || !protocol.startsWith("HTTP/")) return null;
    String version = protocol.substring(5);
    return version.equals("2.0") ? "2" : version.equals("3.0") ? "3" : version;
  }

  private Protocols() {}
}
