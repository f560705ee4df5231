package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.tracewire.server.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Request bodies held at once are bounded by --max-in-flight: while one request's body holds the
 * whole budget (its spans wait for a slow store), the next is refused with the codes exporters
 * retry on, on every ingest port; once the first is answered, a request is taken again.
 */
class InFlightBodiesTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void pastTheBudget_http429WithRetryAfter_grpcResourceExhausted_thenTakenAgain() throws Exception {
    GatedStore store = new GatedStore();
    byte[] body = KillNineTest.request(TRACE).toByteArray();
    // the budget holds one such body, not two
    TracewireServer server =
        TracewireServer.start(
            TestServers.freePorts().maxInFlightBytes(body.length + 1024L).build(), store);
    try {
      CompletableFuture<HttpResponse<byte[]>> first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Http.post(
                      server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (server.queueDepth() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(server.queueDepth())
          .as("first request queued behind the gated store")
          .isPositive();

      HttpResponse<byte[]> http =
          Http.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body);
      assertThat(http.statusCode()).isEqualTo(429);
      assertThat(http.headers().firstValue("Retry-After")).contains("1");
      assertThat(new String(http.body())).contains("in flight");

      HttpResponse<byte[]> zipkin =
          Http.post(server.zipkinPort(), "/api/v2/spans", "application/json", "[]".getBytes());
      assertThat(zipkin.statusCode()).isEqualTo(429);

      HttpHeaders grpc = grpcExport(server.otlpGrpcPort(), KillNineTest.request(TRACE));
      assertThat(grpc.get("grpc-status")).isEqualTo("8");
      com.google.rpc.Status status =
          com.google.rpc.Status.parseFrom(
              java.util.Base64.getDecoder().decode(grpc.get("grpc-status-details-bin")));
      assertThat(status.getDetails(0).is(com.google.rpc.RetryInfo.class)).isTrue();

      assertThat(Http.get(server.queryPort(), "/metrics").body())
          .contains("tracewire_requests_rejected_total{reason=\"in_flight_limit\"} 3");

      store.open();
      assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      // the budget came back with the answer
      assertThat(
              Http.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body)
                  .statusCode())
          .isEqualTo(200);
      assertThat(store.trace(TraceId.fromHex(TRACE))).isNotEmpty();
    } finally {
      store.open();
      server.close();
      store.close();
    }
  }

  static HttpHeaders grpcExport(int port, ExportTraceServiceRequest request) {
    AggregatedHttpResponse r =
        WebClient.of("h2c://127.0.0.1:" + port)
            .execute(
                HttpRequest.of(
                    RequestHeaders.builder(
                            HttpMethod.POST,
                            "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                        .contentType(MediaType.parse("application/grpc+proto"))
                        .add("te", "trailers")
                        .build(),
                    HttpData.wrap(OverloadTest.grpcFrame(request))))
            .aggregate()
            .join();
    return r.trailers().isEmpty() ? r.headers() : r.trailers();
  }
}
