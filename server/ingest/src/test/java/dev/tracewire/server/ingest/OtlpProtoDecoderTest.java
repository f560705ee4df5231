package dev.tracewire.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.SpanValidation;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpProtoDecoderTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN = "00f067aa0ba902b7";
  static final String PARENT = "53995c3f42cd8ad8";
  static final long START = 1_700_000_000_123_456_789L;

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  /** A span carrying every field and attribute type OTLP has. */
  static io.opentelemetry.proto.trace.v1.Span.Builder fullSpan() {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(id(TRACE))
        .setSpanId(id(SPAN))
        .setParentSpanId(id(PARENT))
        .setName("GET /users")
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START)
        .setEndTimeUnixNano(START + 5_000_000)
        .setTraceState("vendor=x")
        .setFlags(0x301)
        .addAttributes(kv("s", str("v")))
        .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(kv("l", AnyValue.newBuilder().setIntValue(-42).build()))
        .addAttributes(kv("d", AnyValue.newBuilder().setDoubleValue(1.5).build()))
        .addAttributes(
            kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))
        .addAttributes(
            kv(
                "arr",
                AnyValue.newBuilder()
                    .setArrayValue(
                        ArrayValue.newBuilder()
                            .addValues(str("a"))
                            .addValues(AnyValue.newBuilder().setIntValue(1)))
                    .build()))
        .addAttributes(
            kv(
                "kv",
                AnyValue.newBuilder()
                    .setKvlistValue(KeyValueList.newBuilder().addValues(kv("inner", str("x"))))
                    .build()))
        .addAttributes(kv("empty", AnyValue.getDefaultInstance()))
        .setDroppedAttributesCount(3)
        .addEvents(
            io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                .setTimeUnixNano(START + 1000)
                .setName("retry")
                .addAttributes(kv("attempt", AnyValue.newBuilder().setIntValue(2).build()))
                .setDroppedAttributesCount(1))
        .setDroppedEventsCount(4)
        .addLinks(
            io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                .setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
                .setSpanId(id("b7ad6b7169203331"))
                .setTraceState("a=b")
                .setFlags(1)
                .addAttributes(kv("link", str("yes"))))
        .setDroppedLinksCount(5)
        .setStatus(
            Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
  }

  static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span.Builder... spans) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(
                InstrumentationScope.newBuilder()
                    .setName("io.opentelemetry.jdk-httpclient")
                    .setVersion("2.31.1")
                    .addAttributes(kv("scope.attr", str("s")))
                    .setDroppedAttributesCount(2))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.37.0");
    for (io.opentelemetry.proto.trace.v1.Span.Builder s : spans) scope.addSpans(s);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", str("frontend")))
                        .setDroppedAttributesCount(1))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.36.0")
                .addScopeSpans(scope))
        .build();
  }

  @Test
  void decode_everyField_isKept() {
    DecodeResult result = SpanFormat.OTLP_PROTO.decode(request(fullSpan()).toByteArray());

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.rejectedCount()).isZero();
    assertThat(result.spans()).hasSize(1);
    assertFullSpan(result.spans().get(0));
  }

  /** Shared with the JSON test: both encodings of the same span decode to the same model. */
  static void assertFullSpan(Span span) {
    assertThat(span.traceIdHex()).isEqualTo(TRACE);
    assertThat(span.spanIdHex()).isEqualTo(SPAN);
    assertThat(span.parentSpanIdHex()).isEqualTo(PARENT);
    assertThat(span.name()).isEqualTo("GET /users");
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.startEpochNanos()).isEqualTo(START);
    assertThat(span.endEpochNanos()).isEqualTo(START + 5_000_000);
    assertThat(span.traceState()).isEqualTo("vendor=x");
    assertThat(span.flags()).isEqualTo(0x301);
    assertThat(span.status().code()).isEqualTo(StatusCode.ERROR);
    assertThat(span.status().message()).isEqualTo("boom");

    Attributes a = span.attributes();
    assertThat(a.get("s")).isEqualTo(AttributeValue.of("v"));
    assertThat(a.get("b")).isEqualTo(AttributeValue.of(true));
    assertThat(a.get("l")).isEqualTo(AttributeValue.of(-42L));
    assertThat(a.get("d")).isEqualTo(AttributeValue.of(1.5));
    assertThat(a.get("bytes")).isEqualTo(AttributeValue.of("hi".getBytes()));
    assertThat(a.get("arr"))
        .isEqualTo(AttributeValue.ofArray(List.of(AttributeValue.of("a"), AttributeValue.of(1L))));
    assertThat(a.get("kv"))
        .isEqualTo(
            AttributeValue.ofKeyValueList(Attributes.newBuilder().put("inner", "x").build()));
    assertThat(a.get("empty")).isEqualTo(AttributeValue.empty());
    assertThat(span.droppedAttributesCount()).isEqualTo(3);

    assertThat(span.events())
        .containsExactly(
            new Event(
                START + 1000, "retry", Attributes.newBuilder().put("attempt", 2L).build(), 1));
    assertThat(span.droppedEventsCount()).isEqualTo(4);
    assertThat(span.links())
        .containsExactly(
            new Link(
                TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"),
                0xb7ad6b7169203331L,
                "a=b",
                Attributes.newBuilder().put("link", "yes").build(),
                1,
                0));
    assertThat(span.droppedLinksCount()).isEqualTo(5);

    assertThat(span.serviceName()).isEqualTo("frontend");
    assertThat(span.resource().droppedAttributesCount()).isEqualTo(1);
    assertThat(span.resource().schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.36.0");
    assertThat(span.scope().name()).isEqualTo("io.opentelemetry.jdk-httpclient");
    assertThat(span.scope().version()).isEqualTo("2.31.1");
    assertThat(span.scope().attributes().getString("scope.attr")).isEqualTo("s");
    assertThat(span.scope().droppedAttributesCount()).isEqualTo(2);
    assertThat(span.scope().schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.37.0");
  }

  @Test
  void decode_truncatedBody_isMalformedAndStoresNothing() {
    byte[] body = request(fullSpan()).toByteArray();

    DecodeResult result = SpanFormat.OTLP_PROTO.decode(Arrays.copyOf(body, body.length - 7));

    assertThat(result.isMalformed()).isTrue();
    assertThat(result.malformedReason()).contains("invalid OTLP protobuf");
    assertThat(result.spans()).isEmpty();
  }

  @Test
  void decode_badIdsAndTimes_rejectedOneByOneWithReasons() {
    DecodeResult result =
        OtlpProtoDecoder.decode(
            request(
                fullSpan(),
                fullSpan().setTraceId(id("0af7651916cd43dd")), // 8 bytes
                fullSpan().setSpanId(id("0000000000000000")),
                fullSpan().setParentSpanId(id("0102")),
                fullSpan().setEndTimeUnixNano(START - 1),
                fullSpan().setStartTimeUnixNano(0)));

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.spans()).hasSize(1);
    assertThat(result.rejectedCount()).isEqualTo(5);
    assertThat(result.rejectedByReason())
        .containsOnlyKeys(
            SpanValidation.TRACE_ID_LENGTH,
            SpanValidation.SPAN_ID_ZERO,
            SpanValidation.PARENT_SPAN_ID_LENGTH,
            SpanValidation.END_BEFORE_START,
            SpanValidation.START_MISSING);
    assertThat(result.firstRejection()).contains(SpanValidation.TRACE_ID_LENGTH);
  }

  @Test
  void decode_linkWithShortTraceId_rejectsSpan() {
    io.opentelemetry.proto.trace.v1.Span.Builder span = fullSpan();
    span.getLinksBuilder(0).setTraceId(id("0102"));

    DecodeResult result = OtlpProtoDecoder.decode(request(span));

    assertThat(result.spans()).isEmpty();
    assertThat(result.rejectedByReason()).containsOnlyKeys(OtlpProtoDecoder.LINK_TRACE_ID);
  }

  @Test
  void decode_emptyBody_isAnEmptyRequest() {
    DecodeResult result = SpanFormat.OTLP_PROTO.decode(new byte[0]);

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.spans()).isEmpty();
  }
}
