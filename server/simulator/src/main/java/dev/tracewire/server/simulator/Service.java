package dev.tracewire.server.simulator;

import java.util.List;

/**
 * One simulated service: what it runs, where it lives and which trace formats it reads and writes.
 */
final class Service {
  /** What reports the service's spans and propagates its context. */
  enum Sdk {
    /** OpenTelemetry SDK with the tracewire propagator: hop diagnostics, OTLP. */
    KIT,
    /** Plain OpenTelemetry (W3C only), OTLP, no diagnostics. */
    OTEL,
    /** Brave: B3 multi headers, 64-bit trace ids for new traces, Zipkin v2 JSON. */
    BRAVE,
    /** An Envoy sidecar or gateway reporting Zipkin spans tagged {@code component=proxy}. */
    ENVOY,
    /** Reports nothing (a legacy or third-party peer). */
    NONE
  }

  static final List<String> ALL_TRACE_FORMATS =
      List.of("tracecontext", "b3", "b3multi", "jaeger", "sentry");

  final String name;
  final Sdk sdk;
  final boolean mesh;
  final String ip;
  final int port;

  /** Trace formats its extractor reads, in precedence order. */
  final List<String> accepts;

  Service(String name, Sdk sdk, boolean mesh, String ip, int port, List<String> accepts) {
    this.name = name;
    this.sdk = sdk;
    this.mesh = mesh;
    this.ip = ip;
    this.port = port;
    this.accepts = accepts;
  }

  static Service kit(String name, boolean mesh, String ip, int port) {
    return new Service(name, Sdk.KIT, mesh, ip, port, ALL_TRACE_FORMATS);
  }

  static Service otel(String name, String ip, int port) {
    return new Service(name, Sdk.OTEL, false, ip, port, List.of("tracecontext"));
  }

  static Service brave(String name, boolean mesh, String ip, int port) {
    return new Service(name, Sdk.BRAVE, mesh, ip, port, List.of("b3", "b3multi"));
  }

  /**
   * Trace formats it writes on every call (the kit also forwards x-request-id, added by the
   * caller).
   */
  List<String> injects() {
    switch (sdk) {
      case KIT:
        return List.of("tracecontext", "b3multi");
      case OTEL:
        return List.of("tracecontext");
      case BRAVE:
        return List.of("b3multi");
      default:
        return List.of();
    }
  }

  /** A trace format this service cannot read, or null when it reads every one a caller may send. */
  String foreignFormat() {
    if (!accepts.contains("b3multi")) return "b3multi";
    if (!accepts.contains("tracecontext")) return "tracecontext";
    return null;
  }

  boolean reportsZipkin() {
    return sdk == Sdk.BRAVE || sdk == Sdk.ENVOY;
  }

  /** The DNS name callers use, as in a Kubernetes cluster. */
  String host() {
    return name + ".shop.svc.cluster.local";
  }

  @Override
  public String toString() {
    return name;
  }
}
