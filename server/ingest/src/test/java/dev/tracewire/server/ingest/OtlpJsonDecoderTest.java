package dev.tracewire.server.ingest;

import static dev.tracewire.server.ingest.OtlpProtoDecoderTest.START;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.SpanValidation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpJsonDecoderTest {
  /** The same span as {@link OtlpProtoDecoderTest#fullSpan()}, as an SDK would write OTLP/JSON. */
  static final String FULL =
      """
      {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "frontend"}}],
                     "droppedAttributesCount": 1},
        "schemaUrl": "https://opentelemetry.io/schemas/1.36.0",
        "someFutureField": {"ignored": true},
        "scopeSpans": [{
          "scope": {"name": "io.opentelemetry.jdk-httpclient", "version": "2.31.1",
                    "attributes": [{"key": "scope.attr", "value": {"stringValue": "s"}}],
                    "droppedAttributesCount": 2},
          "schemaUrl": "https://opentelemetry.io/schemas/1.37.0",
          "spans": [{
            "traceId": "4BF92F3577B34DA6A3CE929D0E0E4736",
            "spanId": "00F067AA0BA902B7",
            "parentSpanId": "53995c3f42cd8ad8",
            "traceState": "vendor=x",
            "flags": 769,
            "name": "GET /users",
            "kind": 2,
            "startTimeUnixNano": "%d",
            "endTimeUnixNano": %d,
            "attributes": [
              {"key": "s", "value": {"stringValue": "v"}},
              {"key": "b", "value": {"boolValue": true}},
              {"key": "l", "value": {"intValue": "-42"}},
              {"key": "d", "value": {"doubleValue": 1.5}},
              {"key": "bytes", "value": {"bytesValue": "aGk="}},
              {"key": "arr", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": 1}]}}},
              {"key": "kv", "value": {"kvlistValue": {"values": [{"key": "inner", "value": {"stringValue": "x"}}]}}},
              {"key": "empty", "value": {}}
            ],
            "droppedAttributesCount": 3,
            "events": [{"timeUnixNano": "%d", "name": "retry",
                        "attributes": [{"key": "attempt", "value": {"intValue": 2}}],
                        "droppedAttributesCount": 1}],
            "droppedEventsCount": 4,
            "links": [{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331",
                       "traceState": "a=b", "flags": 1,
                       "attributes": [{"key": "link", "value": {"stringValue": "yes"}}]}],
            "droppedLinksCount": 5,
            "status": {"code": 2, "message": "boom"}
          }]
        }]
      }]}
      """
          .formatted(START, START + 5_000_000, START + 1000);

  static DecodeResult decode(String json) {
    return SpanFormat.OTLP_JSON.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decode_everyField_matchesProtobufDecoding() {
    DecodeResult result = decode(FULL);

    assertThat(result.malformedReason()).isNull();
    assertThat(result.spans()).hasSize(1);
    OtlpProtoDecoderTest.assertFullSpan(result.spans().get(0));
    assertThat(result.spans().get(0))
        .isEqualTo(
            SpanFormat.OTLP_PROTO
                .decode(OtlpProtoDecoderTest.request(OtlpProtoDecoderTest.fullSpan()).toByteArray())
                .spans()
                .get(0));
  }

  @Test
  void decode_enumNamesAndProtoFieldNames_areAccepted() {
    DecodeResult result =
        decode(
            FULL.replace("\"kind\": 2", "\"kind\": \"SPAN_KIND_SERVER\"")
                .replace("\"code\": 2", "\"code\": \"STATUS_CODE_ERROR\"")
                .replace("\"startTimeUnixNano\"", "\"start_time_unix_nano\""));

    assertThat(result.malformedReason()).isNull();
    OtlpProtoDecoderTest.assertFullSpan(result.spans().get(0));
  }

  @Test
  void decode_stringWhereNumberBelongs_isMalformedNamingThePath() {
    DecodeResult result = decode(FULL.replace("\"kind\": 2", "\"kind\": true"));

    assertThat(result.isMalformed()).isTrue();
    assertThat(result.malformedReason())
        .isEqualTo(
            "resourceSpans[0].scopeSpans[0].spans[0].kind: expected enum integer, got boolean");
  }

  @Test
  void decode_spansNotAnArray_isMalformed() {
    DecodeResult result = decode("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":{}}]}]}");

    assertThat(result.malformedReason())
        .isEqualTo("resourceSpans[0].scopeSpans[0].spans: expected array, got object");
  }

  @Test
  void decode_nonNumericTime_isMalformed() {
    DecodeResult result =
        decode(
            FULL.replace(
                "\"startTimeUnixNano\": \"" + START + "\"", "\"startTimeUnixNano\": \"soon\""));

    assertThat(result.malformedReason())
        .startsWith("resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected 64-bit");
  }

  @Test
  void decode_syntaxError_isMalformedWithLocation() {
    DecodeResult result = decode("{\"resourceSpans\": [");

    assertThat(result.malformedReason()).startsWith("invalid JSON: ").contains("line 1");
  }

  @Test
  void decode_topLevelArray_isMalformed() {
    assertThat(decode("[1,2]").malformedReason()).isEqualTo("$: expected object, got array");
  }

  @Test
  void decode_base64TraceId_isRejectedAsBadHex() {
    DecodeResult result =
        decode(FULL.replace("4BF92F3577B34DA6A3CE929D0E0E4736", "S/kvNXezTaajzpKdDg5HNg=="));

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.spans()).isEmpty();
    assertThat(result.rejectedByReason()).containsOnlyKeys(SpanValidation.TRACE_ID_HEX);
    assertThat(result.firstRejection()).startsWith("resourceSpans[0].scopeSpans[0].spans[0]");
  }

  @Test
  void decode_emptyObject_hasNoSpans() {
    DecodeResult result = decode("{}");

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.spans()).isEmpty();
  }
}
