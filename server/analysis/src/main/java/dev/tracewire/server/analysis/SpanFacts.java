package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the detectors need of one span, read in a single pass over its attributes: role in a hop,
 * transport, hop diagnostics, message identity and the peer/route facts heuristic pairing uses.
 */
final class SpanFacts {
  static final String RECEIVED = "tracewire.propagation.received";
  static final String INVALID = "tracewire.propagation.invalid";
  static final String USED = "tracewire.propagation.used";
  static final String CONFLICT = "tracewire.propagation.conflict";
  static final String REMOTE_PARENT = "tracewire.propagation.remote_parent";
  static final String INJECTED = "tracewire.propagation.injected";
  static final String REQUEST_ID = "http.request.header.x-request-id";

  /** Formats that carry a trace context (baggage and x-request-id do not). */
  static final List<String> TRACE_FORMATS =
      List.of("tracecontext", "b3", "b3multi", "jaeger", "sentry");

  final Span span;
  final String service;
  final boolean proxy;
  final Transport transport;
  final boolean leaf;

  // hop diagnostics; null when the span does not carry the attribute
  List<String> received;
  List<String> invalid;
  String used;
  List<String> conflict;
  long remoteParent;
  List<String> injected;
  List<String> requestIds = List.of();

  // messaging identity
  String destination = "";
  String messageId;
  String partition;
  String offset;

  // request/response facts for heuristic pairing
  String method;
  String path;
  String route;
  String peerHost;
  String peerService;
  String peerAddress;
  String hostName;
  String localAddress;

  /** HTTP response status, 0 when none was recorded. */
  int statusCode;

  private SpanFacts(Span span) {
    this.span = span;
    this.service = span.serviceName();
    String messagingSystem = null;
    String dbSystem = null;
    String rpcSystem = null;
    boolean grpcTag = false;
    boolean httpTag = false;
    boolean proxyTag = false;
    String url = null;
    for (Attribute a : span.attributes().asList()) {
      String key = a.key();
      AttributeValue v = a.value();
      switch (key) {
        case RECEIVED:
          received = list(v);
          break;
        case INVALID:
          invalid = list(v);
          break;
        case USED:
          used = v.asString();
          break;
        case CONFLICT:
          conflict = list(v);
          break;
        case REMOTE_PARENT:
          remoteParent = dev.tracewire.server.model.SpanId.fromHex(v.asString());
          break;
        case INJECTED:
          injected = list(v);
          break;
        case REQUEST_ID:
        case "guid:x-request-id":
        case "x-request-id":
          requestIds = concat(requestIds, list(v));
          break;
        case "component":
          if (v.asString().equalsIgnoreCase("proxy")) proxyTag = true;
          break;
        case "upstream_cluster":
        case "upstream_cluster.name":
          proxyTag = true;
          break;
        case "messaging.system":
          messagingSystem = v.asString();
          break;
        case "messaging.destination.name":
        case "messaging.destination":
        case "messaging.rabbitmq.destination.routing_key":
          if (destination.isEmpty() || key.equals("messaging.destination.name")) {
            destination = v.asString();
          }
          break;
        case "messaging.message.id":
        case "messaging.message_id":
          messageId = v.asString();
          break;
        case "messaging.destination.partition.id":
        case "messaging.kafka.destination.partition":
        case "messaging.kafka.partition":
          partition = v.asString();
          break;
        case "messaging.kafka.offset":
        case "messaging.kafka.message.offset":
          offset = v.asString();
          break;
        case "db.system":
        case "db.system.name":
          dbSystem = v.asString();
          break;
        case "rpc.system":
          rpcSystem = v.asString();
          break;
        case "rpc.grpc.status_code":
        case "grpc.status_code":
        case "grpc.status":
          grpcTag = true;
          break;
        case "http.request.method":
        case "http.method":
          method = v.asString();
          httpTag = true;
          break;
        case "url.full":
        case "http.url":
          url = v.asString();
          httpTag = true;
          break;
        case "url.path":
        case "http.target":
        case "http.path":
          path = stripQuery(v.asString());
          httpTag = true;
          break;
        case "http.route":
          route = v.asString();
          httpTag = true;
          break;
        case "http.response.status_code":
        case "http.status_code":
          httpTag = true;
          statusCode = (int) longOf(v);
          break;
        case "server.address":
        case "net.peer.name":
        case "net.host.name":
        case "http.host":
          if (isExitKind(span.kind())) {
            if (peerHost == null) peerHost = host(v.asString());
          } else if (hostName == null) {
            hostName = host(v.asString());
          }
          break;
        case "peer.service":
          peerService = v.asString();
          break;
        case "network.peer.address":
        case "net.sock.peer.addr":
          peerAddress = v.asString();
          break;
        case "network.local.address":
          localAddress = v.asString();
          break;
        default:
          break;
      }
    }
    if (url != null) {
      int scheme = url.indexOf("://");
      int hostStart = scheme < 0 ? 0 : scheme + 3;
      int slash = url.indexOf('/', hostStart);
      if (scheme >= 0 && peerHost == null && isExitKind(span.kind())) {
        peerHost = host(url.substring(hostStart, slash < 0 ? url.length() : slash));
      }
      if (path == null && slash >= 0) path = stripQuery(url.substring(slash));
    }
    this.proxy = proxyTag;
    if (messagingSystem != null) {
      transport = Transport.ofMessagingSystem(messagingSystem);
    } else if (rpcSystem != null) {
      transport = rpcSystem.equalsIgnoreCase("grpc") ? Transport.GRPC : Transport.HTTP;
    } else if (grpcTag) {
      transport = Transport.GRPC;
    } else if (httpTag) {
      transport = Transport.HTTP;
    } else if (dbSystem != null && dbSystem.equalsIgnoreCase("redis")) {
      transport = Transport.REDIS;
    } else {
      transport = Transport.UNKNOWN;
    }
    // a database or cache call ends at a peer that reports no spans: never a break
    this.leaf = dbSystem != null && messagingSystem == null;
  }

  static SpanFacts of(Span span) {
    return new SpanFacts(span);
  }

  private SpanFacts(SpanFacts f, Span slim) {
    span = slim;
    service = f.service;
    proxy = f.proxy;
    transport = f.transport;
    leaf = f.leaf;
    injected = f.injected;
    destination = f.destination;
    peerService = f.peerService;
    peerHost = f.peerHost;
    peerAddress = f.peerAddress;
    received = f.received;
    invalid = f.invalid;
    used = f.used;
    conflict = f.conflict;
    remoteParent = f.remoteParent;
    requestIds = f.requestIds;
    messageId = f.messageId;
    partition = f.partition;
    offset = f.offset;
    method = f.method;
    path = f.path;
    route = f.route;
    hostName = f.hostName;
    localAddress = f.localAddress;
    statusCode = f.statusCode;
  }

  /**
   * A copy keeping every fact and the span's ids, name, kind, times and status, without its
   * attributes, events, links and resource: what waits for pairing or sits among recent traces
   * stays small.
   */
  SpanFacts slim() {
    Span s =
        Span.newBuilder()
            .traceId(span.traceId())
            .spanId(span.spanId())
            .parentSpanId(span.parentSpanId())
            .name(span.name())
            .kind(span.kind())
            .startEpochNanos(span.startEpochNanos())
            .endEpochNanos(span.endEpochNanos())
            .status(span.status())
            .build();
    return new SpanFacts(this, s);
  }

  boolean isEntry() {
    return !proxy && (span.kind() == SpanKind.SERVER || span.kind() == SpanKind.CONSUMER);
  }

  boolean isExit() {
    return !proxy && isExitKind(span.kind());
  }

  boolean hasDiagnostics() {
    return received != null;
  }

  /** Trace formats received and valid, per the callee's diagnostics. */
  List<String> validTraceFormatsReceived() {
    List<String> out = new ArrayList<>(2);
    if (received == null) return out;
    for (String f : received) {
      if (TRACE_FORMATS.contains(f) && (invalid == null || !invalid.contains(f))) out.add(f);
    }
    return out;
  }

  List<String> invalidTraceFormatsReceived() {
    List<String> out = new ArrayList<>(2);
    if (invalid == null) return out;
    for (String f : invalid) {
      if (TRACE_FORMATS.contains(f)) out.add(f);
    }
    return out;
  }

  /** Trace formats the caller wrote, or null when it reports no diagnostics. */
  List<String> traceFormatsInjected() {
    if (injected == null) return null;
    List<String> out = new ArrayList<>(2);
    for (String f : injected) {
      if (TRACE_FORMATS.contains(f)) out.add(f);
    }
    return out;
  }

  boolean hasKafkaOffset() {
    return partition != null && offset != null;
  }

  static boolean isExitKind(SpanKind kind) {
    return kind == SpanKind.CLIENT || kind == SpanKind.PRODUCER;
  }

  /** An attribute as a list of strings: arrays as-is, strings split on commas (Zipkin tags). */
  static List<String> list(AttributeValue v) {
    if (v instanceof AttributeValue.ArrayValue array) {
      List<String> out = new ArrayList<>(array.values().size());
      for (AttributeValue e : array.values()) {
        String s = e.asString().trim();
        if (!s.isEmpty()) out.add(s.toLowerCase(Locale.ROOT));
      }
      return out;
    }
    String s = v.asString().trim();
    if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
    List<String> out = new ArrayList<>(2);
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == ',') {
        String part = s.substring(start, i).trim();
        if (part.length() >= 2 && part.startsWith("\"") && part.endsWith("\"")) {
          part = part.substring(1, part.length() - 1);
        }
        if (!part.isEmpty()) out.add(part.toLowerCase(Locale.ROOT));
        start = i + 1;
      }
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    if (a.isEmpty()) return b;
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String stripQuery(String p) {
    int q = p.indexOf('?');
    return q < 0 ? p : p.substring(0, q);
  }

  private static String host(String hostPort) {
    String h = hostPort;
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end).toLowerCase(Locale.ROOT);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.substring(0, colon);
    return h.toLowerCase(Locale.ROOT);
  }

  /** A number sent as an int or as digits (Zipkin tags are strings); 0 otherwise, never throws. */
  private static long longOf(AttributeValue v) {
    if (v instanceof AttributeValue.LongValue l) return l.value();
    String s = v.asString().trim();
    if (s.isEmpty() || s.length() > 18) return 0;
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return 0;
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
