package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every acknowledged span survives SIGKILL: the server runs as a child process on a DuckDB data
 * directory, is killed right after the last acknowledgement, restarts on the same directory and
 * serves every span it acknowledged.
 */
class KillNineTest {
  static final int REQUESTS = 20;
  static final int SPANS_PER_REQUEST = 25;

  @TempDir Path dataDir;

  @Test
  void sigkillRightAfterAcks_restartFindsEveryAcknowledgedSpan() throws Exception {
    int[] ports = freePorts(4);
    Path log = dataDir.resolve("server.log");
    Path data = dataDir.resolve("data");
    Map<String, Integer> acknowledged = new HashMap<>(); // trace id -> span count
    Random random = new Random();

    Process first = startServer(data, ports, log);
    try {
      awaitHealthy(first, ports[3], log);
      for (int r = 0; r < REQUESTS; r++) {
        String traceId = String.format("%016x%016x", random.nextLong() | 1, random.nextLong());
        HttpResponse<byte[]> response =
            Http.post(
                ports[1], "/v1/traces", "application/x-protobuf", request(traceId).toByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess())
            .isFalse();
        acknowledged.put(traceId, SPANS_PER_REQUEST);
      }
    } finally {
      first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
      first.waitFor(30, TimeUnit.SECONDS);
    }

    Process second = startServer(data, ports, log);
    try {
      awaitHealthy(second, ports[3], log);
      for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
        JsonNode trace = Http.getJson(ports[3], "/api/v1/traces/" + e.getKey());
        assertThat(trace.get("spans")).as("trace " + e.getKey()).hasSize(e.getValue());
      }
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      if (second.isAlive()) second.destroyForcibly();
    }
  }

  static ExportTraceServiceRequest request(String traceId) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    ByteString trace = ByteString.fromHex(traceId);
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(trace)
              .setSpanId(ByteString.fromHex(String.format("%016x", i + 1)))
              .setParentSpanId(
                  i == 0 ? ByteString.EMPTY : ByteString.fromHex(String.format("%016x", 1)))
              .setName("op" + i)
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(now + i)
              .setEndTimeUnixNano(now + i + 1_000_000)
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("i")
                      .setValue(AnyValue.newBuilder().setIntValue(i))));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("durable"))))
                .addScopeSpans(scope))
        .build();
  }

  static Process startServer(Path data, int[] ports, Path log) throws IOException {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "--data-dir", data.toString(),
            "--otlp-grpc-port", Integer.toString(ports[0]),
            "--otlp-http-port", Integer.toString(ports[1]),
            "--zipkin-port", Integer.toString(ports[2]),
            "--port", Integer.toString(ports[3]),
            "--retention", "0"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static void awaitHealthy(Process process, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited: " + Files.readString(log));
      }
      try {
        if (Http.get(port, "/health").statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not healthy in time: " + Files.readString(log));
  }

  static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0);
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) s.close();
      }
    }
    return ports;
  }
}
