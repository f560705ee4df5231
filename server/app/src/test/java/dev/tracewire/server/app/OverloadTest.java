package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.TraceId;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A full queue answers 429 / RESOURCE_EXHAUSTED; the SDK's retrying exporters send again and every
 * span ends up stored exactly once.
 */
class OverloadTest {
  static final int CAPACITY = 100;
  static final RetryPolicy RETRY =
      RetryPolicy.builder()
          .setMaxAttempts(5)
          .setInitialBackoff(Duration.ofMillis(200))
          .setMaxBackoff(Duration.ofSeconds(2))
          .setBackoffMultiplier(2)
          .build();

  @Test
  void httpExporter_retriesAfter429_everySpanStoredOnce() throws Exception {
    overload(
        s ->
            OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + s.otlpHttpPort() + "/v1/traces")
                .setRetryPolicy(RETRY)
                .build(),
        "tracewire_requests_rejected_total{reason=\"queue_full\"}");
  }

  @Test
  void grpcExporter_retriesAfterResourceExhausted_everySpanStoredOnce() throws Exception {
    overload(
        s ->
            OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + s.otlpGrpcPort())
                .setRetryPolicy(RETRY)
                .build(),
        "tracewire_requests_rejected_total{reason=\"queue_full\"}");
  }

  @Test
  void grpcQueueFull_isResourceExhaustedWithRetryInfo() throws Exception {
    GatedStore store = new GatedStore();
    TracewireServer server =
        TracewireServer.start(TestServers.freePorts().queueCapacity(1).build(), store);
    try (SpanExporter exporter =
        OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
            .build()) {
      CompletableResultCode filled = exporter.export(spans(1));
      await(() -> server.queueDepth() == 1, "queue to fill");

      com.linecorp.armeria.common.AggregatedHttpResponse r =
          com.linecorp.armeria.client.WebClient.of("h2c://127.0.0.1:" + server.otlpGrpcPort())
              .execute(
                  com.linecorp.armeria.common.HttpRequest.of(
                      com.linecorp.armeria.common.RequestHeaders.builder(
                              com.linecorp.armeria.common.HttpMethod.POST,
                              "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                          .contentType(
                              com.linecorp.armeria.common.MediaType.parse("application/grpc+proto"))
                          .add("te", "trailers")
                          .build(),
                      com.linecorp.armeria.common.HttpData.wrap(
                          grpcFrame(KillNineTest.request("4bf92f3577b34da6a3ce929d0e0e4736")))))
              .aggregate()
              .join();
      com.linecorp.armeria.common.HttpHeaders trailers =
          r.trailers().isEmpty() ? r.headers() : r.trailers();

      assertThat(trailers.get("grpc-status")).isEqualTo("8");
      com.google.rpc.Status status =
          com.google.rpc.Status.parseFrom(
              java.util.Base64.getDecoder().decode(trailers.get("grpc-status-details-bin")));
      assertThat(status.getDetails(0).is(com.google.rpc.RetryInfo.class)).isTrue();
      assertThat(
              status
                  .getDetails(0)
                  .unpack(com.google.rpc.RetryInfo.class)
                  .getRetryDelay()
                  .getSeconds())
          .isEqualTo(1);
      store.open();
      assertThat(filled.join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      store.open();
      server.close();
      store.close();
    }
  }

  static byte[] grpcFrame(com.google.protobuf.MessageLite message) {
    byte[] bytes = message.toByteArray();
    return java.nio.ByteBuffer.allocate(5 + bytes.length)
        .put((byte) 0)
        .putInt(bytes.length)
        .put(bytes)
        .array();
  }

  static List<SpanData> spans(int count) {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(memory)).build();
    for (int i = 0; i < count; i++) provider.get("load").spanBuilder("op" + i).startSpan().end();
    List<SpanData> spans = memory.getFinishedSpanItems();
    provider.shutdown();
    return spans;
  }

  void overload(Function<TracewireServer, SpanExporter> exporters, String rejectionMetric)
      throws Exception {
    GatedStore store = new GatedStore();
    TracewireServer server =
        TracewireServer.start(TestServers.freePorts().queueCapacity(CAPACITY).build(), store);
    try (SpanExporter first = exporters.apply(server);
        SpanExporter second = exporters.apply(server)) {
      List<SpanData> fill = spans(CAPACITY);
      List<SpanData> more = spans(50);

      CompletableResultCode filled = first.export(fill);
      await(() -> server.queueDepth() == CAPACITY, "queue to fill");
      CompletableResultCode retried = second.export(more);
      await(() -> server.metricsText().contains(rejectionMetric + " "), "a queue-full rejection");
      store.open();

      assertThat(filled.join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(retried.join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      Set<String> stored = new HashSet<>();
      for (SpanData s : fill) stored.addAll(ids(store, s.getTraceId()));
      for (SpanData s : more) stored.addAll(ids(store, s.getTraceId()));
      assertThat(stored).hasSize(CAPACITY + 50);
      assertThat(server.acceptedSpans()).isEqualTo(CAPACITY + 50);
    } finally {
      store.open();
      server.close();
      store.close();
    }
  }

  static List<String> ids(GatedStore store, String traceId) {
    List<dev.tracewire.server.model.Span> trace = store.trace(TraceId.fromHex(traceId));
    assertThat(trace).as("trace " + traceId).hasSize(1);
    return List.of(trace.get(0).spanIdHex());
  }

  static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(10);
    }
  }
}
