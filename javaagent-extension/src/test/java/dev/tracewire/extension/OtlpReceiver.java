package dev.tracewire.extension;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A loopback OTLP/HTTP protobuf trace receiver: keeps every span the javaagent exports. */
final class OtlpReceiver implements AutoCloseable {
  static final HexFormat HEX = HexFormat.of();

  final List<Span> spans = new CopyOnWriteArrayList<>();
  final HttpServer server;

  static OtlpReceiver start() throws IOException {
    return new OtlpReceiver();
  }

  private OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
              for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                spans.addAll(scopeSpans.getSpansList());
              }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(response);
            }
          } catch (IOException | RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
          }
        });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  /** Waits for the first span matching {@code predicate}; empty when none arrived in time. */
  Optional<Span> await(Predicate<Span> predicate, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Span span : spans) {
        if (predicate.test(span)) return Optional.of(span);
      }
      if (System.nanoTime() - deadline > 0) return Optional.empty();
      Thread.sleep(50);
    }
  }

  /** One line per span received, for failure messages. */
  String summary() {
    StringBuilder result = new StringBuilder();
    for (Span span : spans) {
      result
          .append(span.getKind())
          .append(' ')
          .append(span.getName())
          .append(' ')
          .append(hex(span.getTraceId().toByteArray()))
          .append(' ')
          .append(attributes(span))
          .append('\n');
    }
    return result.length() == 0 ? "(no spans)\n" : result.toString();
  }

  static String traceId(Span span) {
    return hex(span.getTraceId().toByteArray());
  }

  static String parentSpanId(Span span) {
    return hex(span.getParentSpanId().toByteArray());
  }

  static String spanId(Span span) {
    return hex(span.getSpanId().toByteArray());
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** The string attribute {@code key}, or {@code null} when absent. */
  static String string(Span span, String key) {
    AnyValue value = attribute(span, key);
    return value == null ? null : value.getStringValue();
  }

  /** The string-array attribute {@code key}, or {@code null} when absent. */
  static List<String> strings(Span span, String key) {
    AnyValue value = attribute(span, key);
    if (value == null) return null;
    List<String> result = new ArrayList<>();
    for (AnyValue element : value.getArrayValue().getValuesList()) {
      result.add(element.getStringValue());
    }
    return result;
  }

  static AnyValue attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) return kv.getValue();
    }
    return null;
  }

  static String attributes(Span span) {
    StringBuilder result = new StringBuilder("{");
    for (KeyValue kv : span.getAttributesList()) {
      if (result.length() > 1) result.append(", ");
      result.append(kv.getKey()).append('=');
      AnyValue value = kv.getValue();
      if (value.hasArrayValue()) {
        List<String> elements = new ArrayList<>();
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          elements.add(element.getStringValue());
        }
        result.append(elements);
      } else if (value.hasStringValue()) {
        result.append(value.getStringValue());
      } else {
        result.append(value.toString().trim());
      }
    }
    return result.append('}').toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
