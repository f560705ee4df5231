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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Request bodies held at once are bounded by --max-in-flight. While a slow exporter's upload holds
 * the whole budget, the next request is refused with the codes exporters retry on, on every ingest
 * port; once a body is decoded its share comes back, even while its spans still wait for the disk.
 */
class InFlightBodiesTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void stalledUploadHoldsTheBudget_othersGet429OrResourceExhausted_untilItIsRead()
      throws Exception {
    GatedStore store = new GatedStore();
    store.open(); // storage is quick here: only the upload is slow
    byte[] body = KillNineTest.request(TRACE).toByteArray();
    // the budget holds one such body, not two
    TracewireServer server =
        TracewireServer.start(
            TestServers.freePorts().maxInFlightBytes(body.length + 1024L).build(), store);
    try (Socket slow = new Socket("127.0.0.1", server.otlpHttpPort())) {
      OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/x-protobuf\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();

      String[] refusedTrace = new String[1];
      HttpResponse<byte[]> refused = postUntilRefused(server, refusedTrace);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("in flight");
      assertThat(
              Http.post(server.zipkinPort(), "/api/v2/spans", "application/json", "[]".getBytes())
                  .statusCode())
          .isEqualTo(429);
      HttpHeaders grpc = grpcExport(server.otlpGrpcPort(), KillNineTest.request(OTHER_TRACE));
      assertThat(grpc.get("grpc-status")).isEqualTo("8");
      com.google.rpc.Status status =
          com.google.rpc.Status.parseFrom(
              java.util.Base64.getDecoder().decode(grpc.get("grpc-status-details-bin")));
      assertThat(status.getDetails(0).is(com.google.rpc.RetryInfo.class)).isTrue();
      assertThat(store.trace(TraceId.fromHex(refusedTrace[0])))
          .as("nothing refused is stored")
          .isEmpty();

      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("HTTP/1.1 200");
    }
    try {
      assertThat(store.trace(TraceId.fromHex(TRACE))).isNotEmpty();
      assertThat(
              Http.post(
                      server.otlpHttpPort(),
                      "/v1/traces",
                      "application/x-protobuf",
                      KillNineTest.request(OTHER_TRACE).toByteArray())
                  .statusCode())
          .as("the budget came back with the slow request")
          .isEqualTo(200);
      assertThat(Http.get(server.queryPort(), "/metrics").body())
          .containsPattern(
              "tracewire_requests_rejected_total\\{reason=\"in_flight_limit\"\\} [3-9]");
    } finally {
      server.close();
      store.close();
    }
  }

  @Test
  void decodedBody_givesItsShareBack_whileItsSpansWaitForTheDisk() throws Exception {
    GatedStore store = new GatedStore(); // closed: spans wait, answers wait
    byte[] body = KillNineTest.request(TRACE).toByteArray();
    TracewireServer server =
        TracewireServer.start(
            TestServers.freePorts().maxInFlightBytes(body.length + 1024L).build(), store);
    try {
      var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> post(server, body));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (server.queueDepth() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(server.queueDepth()).as("first request decoded and queued").isPositive();

      // a second body fits although the first is not answered yet
      var second =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> post(server, KillNineTest.request(OTHER_TRACE).toByteArray()));
      while (server.queueDepth() <= 25 && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(second).isNotDone();
      store.open();
      assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(200);
    } finally {
      store.open();
      server.close();
      store.close();
    }
  }

  private static int post(TracewireServer server, byte[] body) {
    try {
      return Http.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf", body)
          .statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The stalled upload takes its share once its headers arrive: post (a new trace each time) until
   * a request is refused; {@code trace[0]} names the refused one.
   */
  private static HttpResponse<byte[]> postUntilRefused(TracewireServer server, String[] trace)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int attempt = 1; ; attempt++) {
      trace[0] = String.format("%032x", 0xabc000L + attempt);
      HttpResponse<byte[]> r =
          Http.post(
              server.otlpHttpPort(),
              "/v1/traces",
              "application/x-protobuf",
              KillNineTest.request(trace[0]).toByteArray());
      if (r.statusCode() != 200 || System.nanoTime() > deadline) return r;
      Thread.sleep(20);
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
