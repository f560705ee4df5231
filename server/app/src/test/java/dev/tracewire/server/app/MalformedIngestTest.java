package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.InMemorySpanStore;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A corpus of bad payloads gets the right 4xx and leaves storage untouched. */
class MalformedIngestTest {
  static final int LIMIT = 1024 * 1024;
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  static InMemorySpanStore store;
  static TracewireServer server;
  long acceptedBefore;

  @BeforeAll
  static void start() {
    store = InMemorySpanStore.create();
    server = TracewireServer.start(TestServers.freePorts().maxBodyBytes(LIMIT).build(), store);
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  @BeforeEach
  void countAccepted() {
    acceptedBefore = server.acceptedSpans();
  }

  static Span.Builder span(String traceId, String spanId) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
        .setName("op")
        .setStartTimeUnixNano(now)
        .setEndTimeUnixNano(now + 1000);
  }

  static ExportTraceServiceRequest request(Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (Span.Builder s : spans) scope.addSpans(s);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("svc"))))
                .addScopeSpans(scope))
        .build();
  }

  void assertStorageUntouched() {
    assertThat(server.acceptedSpans()).isEqualTo(acceptedBefore);
    assertThat(store.trace(TraceId.fromHex(TRACE))).isEmpty();
  }

  int postOtlp(String contentType, byte[] body) throws Exception {
    return Http.post(server.otlpHttpPort(), "/v1/traces", contentType, body).statusCode();
  }

  @Test
  void truncatedProtobuf_is400WithStatusMessage() throws Exception {
    byte[] body =
        request(span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")).toByteArray();

    HttpResponse<byte[]> r =
        Http.post(
            server.otlpHttpPort(), "/v1/traces", PROTOBUF, Arrays.copyOf(body, body.length - 5));

    assertThat(r.statusCode()).isEqualTo(400);
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(3);
    assertThat(status.getMessage()).startsWith("invalid OTLP protobuf");
    assertStorageUntouched();
  }

  @Test
  void wrongJsonTypes_are400NamingTheField() throws Exception {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
            + "\"spanId\":\"00f067aa0ba902b7\",\"startTimeUnixNano\":{\"oops\":1}}]}]}]}";

    HttpResponse<byte[]> r =
        Http.post(server.otlpHttpPort(), "/v1/traces", JSON, json.getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected 64-bit");
    assertThat(postOtlp(JSON, "{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(400);
    assertThat(postOtlp(JSON, "[]".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
    assertStorageUntouched();
  }

  @Test
  void badIds_arePartialSuccessAndOnlyValidSpansStored() throws Exception {
    byte[] body =
        request(
                span("5bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
                span("4bf92f3577b34da6", "00f067aa0ba902b8"),
                span("00000000000000000000000000000000", "00f067aa0ba902b9"))
            .toByteArray();

    HttpResponse<byte[]> r = Http.post(server.otlpHttpPort(), "/v1/traces", PROTOBUF, body);

    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("trace id");
    assertThat(store.trace(TraceId.fromHex("5bf92f3577b34da6a3ce929d0e0e4736"))).hasSize(1);
    assertThat(server.acceptedSpans()).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void badIdsInJson_arePartialSuccessInJson_validUppercaseHexSpanStored() throws Exception {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"nothex\","
            + "\"spanId\":\"00f067aa0ba902b7\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"},"
            + "{\"traceId\":\"6BF92F3577B34DA6A3CE929D0E0E4736\",\"spanId\":\"00F067AA0BA902B7\","
            + "\"startTimeUnixNano\":1700000000000000000,\"endTimeUnixNano\":\"1700000000000001000\"}]}]}]}";

    HttpResponse<byte[]> r =
        Http.post(server.otlpHttpPort(), "/v1/traces", JSON, json.getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Http.JSON.readTree(r.body()).get("partialSuccess").get("rejectedSpans").asText())
        .isEqualTo("1");
    assertThat(store.trace(TraceId.fromHex("6bf92f3577b34da6a3ce929d0e0e4736"))).hasSize(1);
    assertThat(server.acceptedSpans()).isEqualTo(acceptedBefore + 1);
  }

  @Test
  void hugeAttribute_overTheLimit_is413() throws Exception {
    char[] big = new char[LIMIT + 10];
    Arrays.fill(big, 'x');
    byte[] body =
        request(
                span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("huge")
                            .setValue(AnyValue.newBuilder().setStringValue(new String(big)))))
            .toByteArray();

    assertThat(postOtlp(PROTOBUF, body)).isEqualTo(413);
    assertStorageUntouched();
  }

  @Test
  void gzipBomb_inflatingPastTheLimit_is413() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(new byte[LIMIT * 4]); // compresses to a few KiB
    }

    HttpResponse<byte[]> r =
        Http.post(server.otlpHttpPort(), "/v1/traces", PROTOBUF, "gzip", gz.toByteArray());

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(
            Http.post(server.otlpHttpPort(), "/v1/traces", PROTOBUF, "gzip", new byte[] {1, 2, 3})
                .statusCode())
        .isEqualTo(400);
    assertStorageUntouched();
  }

  @Test
  void unsupportedContentType_is415() throws Exception {
    assertThat(postOtlp("text/plain", new byte[] {1})).isEqualTo(415);
    assertThat(
            Http.post(server.zipkinPort(), "/api/v2/spans", "text/plain", new byte[] {1})
                .statusCode())
        .isEqualTo(415);
  }

  @Test
  void zipkinMalformedJson_is400() throws Exception {
    HttpResponse<byte[]> r =
        Http.post(
            server.zipkinPort(),
            "/api/v2/spans",
            JSON,
            "[{\"traceId\":\"zz\",\"id\":\"1\"}]".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("invalid Zipkin JSON body");
    assertThat(
            Http.post(server.zipkinPort(), "/api/v2/spans", PROTOBUF, new byte[] {10, 99, 1})
                .statusCode())
        .isEqualTo(400);
    assertStorageUntouched();
  }

  @Test
  void grpcOverTheLimit_is413BeforeDecoding() throws Exception {
    char[] big = new char[LIMIT + 10];
    Arrays.fill(big, 'x');
    byte[] message =
        request(
                span(TRACE, "00f067aa0ba902b7")
                    .addAttributes(
                        KeyValue.newBuilder()
                            .setKey("huge")
                            .setValue(AnyValue.newBuilder().setStringValue(new String(big)))))
            .toByteArray();

    AggregatedHttpResponse r = grpcExport(message);

    assertThat(r.status().code()).isEqualTo(413);
    assertStorageUntouched();
  }

  @Test
  void grpcTruncatedMessage_isInvalidArgument() throws Exception {
    byte[] message =
        request(span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")).toByteArray();

    AggregatedHttpResponse r = grpcExport(Arrays.copyOf(message, message.length - 5));

    String status = r.trailers().get("grpc-status");
    if (status == null) status = r.headers().get("grpc-status");
    assertThat(status).isEqualTo("3");
    assertStorageUntouched();
  }

  /** A raw gRPC call, so the payload can be anything. */
  AggregatedHttpResponse grpcExport(byte[] message) {
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length);
    frame.put((byte) 0).putInt(message.length).put(message);
    return WebClient.of("h2c://127.0.0.1:" + server.otlpGrpcPort())
        .execute(
            HttpRequest.of(
                RequestHeaders.builder(
                        HttpMethod.POST,
                        "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
                    .contentType(MediaType.parse("application/grpc+proto"))
                    .add("te", "trailers")
                    .build(),
                HttpData.wrap(frame.array())))
        .aggregate()
        .join();
  }
}
