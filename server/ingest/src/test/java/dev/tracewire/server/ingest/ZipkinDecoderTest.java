package dev.tracewire.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.SpanValidation;
import dev.tracewire.server.model.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinDecoderTest {
  static final zipkin2.Span CLIENT =
      zipkin2.Span.newBuilder()
          .traceId("463ac35c9f6413ad48485a3953bb6124")
          .parentId("6b221d5bc9e6496c")
          .id("5b4185666d50f68b")
          .kind(zipkin2.Span.Kind.CLIENT)
          .name("get /api")
          .timestamp(1_700_000_000_000_000L)
          .duration(207_000L)
          .localEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("192.168.99.1").build())
          .remoteEndpoint(
              Endpoint.newBuilder().serviceName("backend").ip("172.19.0.2").port(9000).build())
          .addAnnotation(1_700_000_000_010_000L, "ws")
          .putTag("http.method", "GET")
          .putTag("otel.scope.name", "io.opentelemetry.okhttp")
          .putTag("otel.scope.version", "1.0")
          .putTag("error", "timeout")
          .debug(true)
          .build();

  @Test
  void decodeJson_mapsEveryField() {
    byte[] body = SpanBytesEncoder.JSON_V2.encodeList(List.of(CLIENT));

    DecodeResult result = SpanFormat.ZIPKIN_JSON.decode(body);

    assertThat(result.malformedReason()).isNull();
    assertClient(result.spans());
  }

  @Test
  void decodeProto3_mapsEveryField() {
    byte[] body = SpanBytesEncoder.PROTO3.encodeList(List.of(CLIENT));

    assertClient(SpanFormat.ZIPKIN_PROTO3.decode(body).spans());
  }

  static void assertClient(List<Span> spans) {
    assertThat(spans).hasSize(1);
    Span span = spans.get(0);
    assertThat(span.traceIdHex()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(span.parentSpanIdHex()).isEqualTo("6b221d5bc9e6496c");
    assertThat(span.spanIdHex()).isEqualTo("5b4185666d50f68b");
    assertThat(span.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.name()).isEqualTo("get /api");
    assertThat(span.startEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(span.durationNanos()).isEqualTo(207_000_000L);
    assertThat(span.serviceName()).isEqualTo("frontend");
    assertThat(span.attributes().getString("http.method")).isEqualTo("GET");
    assertThat(span.attributes().getString(ZipkinDecoder.PEER_SERVICE)).isEqualTo("backend");
    assertThat(span.attributes().getString(ZipkinDecoder.PEER_ADDRESS)).isEqualTo("172.19.0.2");
    assertThat(span.attributes().get(ZipkinDecoder.PEER_PORT)).isEqualTo(AttributeValue.of(9000L));
    assertThat(span.attributes().getString(ZipkinDecoder.LOCAL_ADDRESS)).isEqualTo("192.168.99.1");
    assertThat(span.attributes().get(ZipkinDecoder.DEBUG)).isEqualTo(AttributeValue.of(true));
    assertThat(span.scope().name()).isEqualTo("io.opentelemetry.okhttp");
    assertThat(span.scope().version()).isEqualTo("1.0");
    assertThat(span.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(span.status().message()).isEqualTo("timeout");
    assertThat(span.events())
        .containsExactly(
            Event.create(
                1_700_000_000_010_000_000L, "ws", dev.tracewire.server.model.Attributes.empty()));
  }

  @Test
  void decode_64bitTraceId_isLeftPadded() {
    byte[] body =
        SpanBytesEncoder.JSON_V2.encodeList(
            List.of(CLIENT.toBuilder().traceId("48485a3953bb6124").build()));

    Span span = SpanFormat.ZIPKIN_JSON.decode(body).spans().get(0);

    assertThat(span.traceIdHex()).isEqualTo("000000000000000048485a3953bb6124");
  }

  @Test
  void decode_badTraceId_isMalformed() {
    String json =
        "[{\"traceId\":\"xyz\",\"id\":\"5b4185666d50f68b\",\"timestamp\":1,\"duration\":1}]";

    DecodeResult result = SpanFormat.ZIPKIN_JSON.decode(json.getBytes(StandardCharsets.UTF_8));

    assertThat(result.isMalformed()).isTrue();
    assertThat(result.malformedReason()).startsWith("invalid Zipkin JSON body: ");
  }

  @Test
  void decode_wrongJsonType_isMalformed() {
    String json = "{\"traceId\":\"463ac35c9f6413ad\"}";

    assertThat(SpanFormat.ZIPKIN_JSON.decode(json.getBytes(StandardCharsets.UTF_8)).isMalformed())
        .isTrue();
  }

  @Test
  void decode_spanWithoutTimestamp_isRejected() {
    byte[] body =
        SpanBytesEncoder.JSON_V2.encodeList(
            List.of(CLIENT, CLIENT.toBuilder().id("5b4185666d50f68c").timestamp(0L).build()));

    DecodeResult result = SpanFormat.ZIPKIN_JSON.decode(body);

    assertThat(result.spans()).hasSize(1);
    assertThat(result.rejectedByReason()).containsOnlyKeys(SpanValidation.START_MISSING);
  }

  @Test
  void decode_emptyList_hasNoSpans() {
    DecodeResult result = SpanFormat.ZIPKIN_JSON.decode("[]".getBytes(StandardCharsets.UTF_8));

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.spans()).isEmpty();
  }
}
