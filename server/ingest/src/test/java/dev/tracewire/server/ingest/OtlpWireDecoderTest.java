package dev.tracewire.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct wire decoder must agree with decoding through protobuf's generated classes on every
 * input it accepts: same spans (every field), same rejections. Random requests use every OTLP field
 * and value type; mutated ones (flipped bytes, truncation, repeated fields) probe the edges where
 * it must hand over to the generated classes instead.
 */
class OtlpWireDecoderTest {
  @Test
  void randomRequests_decodeDirectly_sameAsGeneratedClasses() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      byte[] body = request(random).toByteArray();
      DecodeResult direct = OtlpWireDecoder.decode(body);
      assertThat(direct).as("a canonical encoding decodes directly (request %d)", i).isNotNull();
      assertSame(direct, reference(body), i);
    }
  }

  @Test
  void mutatedRequests_directResultEqualsGeneratedClasses_orHandsOver() throws Exception {
    Random random = new Random(11);
    int direct = 0;
    int handedOver = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] body = request(random).toByteArray();
      switch (random.nextInt(4)) {
        case 0 -> body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        case 1 -> body = Arrays.copyOf(body, random.nextInt(body.length));
        case 2 -> { // a whole message given twice: repeated fields add up, singular ones merge
          byte[] twice = Arrays.copyOf(body, body.length * 2);
          System.arraycopy(body, 0, twice, body.length, body.length);
          body = twice;
        }
        default -> {
          for (int m = 0; m < 3; m++) {
            body[random.nextInt(body.length)] = (byte) random.nextInt(256);
          }
        }
      }
      DecodeResult fast = OtlpWireDecoder.decode(body);
      if (fast == null) {
        handedOver++;
        continue;
      }
      direct++;
      ExportTraceServiceRequest parsed;
      try {
        parsed = ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("direct decoding accepted a body protobuf refuses: " + e, e);
      }
      assertSame(fast, OtlpProtoDecoder.decode(parsed), i);
    }
    assertThat(direct).isPositive();
    assertThat(handedOver).isPositive();
  }

  @Test
  void publicDecode_malformedBody_stillNamesTheProblem() {
    byte[] body = request(new Random(3)).toByteArray();
    DecodeResult result = OtlpProtoDecoder.decode(Arrays.copyOf(body, body.length - 3));
    assertThat(result.isMalformed()).isTrue();
    assertThat(result.malformedReason()).startsWith("invalid OTLP protobuf");
  }

  private static DecodeResult reference(byte[] body) throws InvalidProtocolBufferException {
    return OtlpProtoDecoder.decode(ExportTraceServiceRequest.parseFrom(body));
  }

  private static void assertSame(DecodeResult actual, DecodeResult expected, int i) {
    assertThat(actual.isMalformed()).as("malformed, request %d", i).isFalse();
    assertThat(actual.spans()).as("spans, request %d", i).isEqualTo(expected.spans());
    for (int s = 0; s < actual.spans().size(); s++) {
      // Span.equals leaves nothing out, but say which part differs if it ever does
      assertThat(actual.spans().get(s).resource()).isEqualTo(expected.spans().get(s).resource());
      assertThat(actual.spans().get(s).scope()).isEqualTo(expected.spans().get(s).scope());
    }
    assertThat(actual.rejectedCount()).isEqualTo(expected.rejectedCount());
    assertThat(actual.rejectedByReason()).isEqualTo(expected.rejectedByReason());
    assertThat(actual.firstRejection()).isEqualTo(expected.firstRejection());
  }

  static ExportTraceServiceRequest request(Random r) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int rs = 0, n = 1 + r.nextInt(3); rs < n; rs++) {
      ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
      if (r.nextInt(5) > 0) {
        Resource.Builder resource = Resource.newBuilder();
        resource.addAttributes(
            kv("service.name", AnyValue.newBuilder().setStringValue("svc" + rs)));
        for (int a = r.nextInt(4); a > 0; a--) resource.addAttributes(kv(r, 0));
        if (r.nextInt(4) == 0) resource.setDroppedAttributesCount(r.nextInt(5));
        resourceSpans.setResource(resource);
      }
      if (r.nextBoolean()) resourceSpans.setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
      for (int ss = 0, m = 1 + r.nextInt(3); ss < m; ss++) {
        ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
        if (r.nextInt(4) > 0) {
          InstrumentationScope.Builder scope =
              InstrumentationScope.newBuilder().setName("scope-" + ss);
          if (r.nextBoolean()) scope.setVersion("1." + r.nextInt(9));
          if (r.nextInt(3) == 0) scope.addAttributes(kv(r, 0));
          if (r.nextInt(5) == 0) scope.setDroppedAttributesCount(1);
          scopeSpans.setScope(scope);
        }
        if (r.nextInt(3) == 0) scopeSpans.setSchemaUrl("https://example.com/" + ss);
        for (int s = 0, k = r.nextInt(6); s < k; s++) scopeSpans.addSpans(span(r));
        resourceSpans.addScopeSpans(scopeSpans);
      }
      request.addResourceSpans(resourceSpans);
    }
    return request.build();
  }

  private static Span span(Random r) {
    long start = 1_767_225_600_000_000_000L + r.nextInt(1_000_000_000);
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(id(r, r.nextInt(20) == 0 ? r.nextInt(18) : 16))
            .setSpanId(id(r, r.nextInt(20) == 0 ? r.nextInt(10) : 8))
            .setName(r.nextInt(10) == 0 ? "ünïcødé ✓ " + r.nextInt() : "GET /api/" + r.nextInt(50))
            .setKindValue(r.nextInt(7))
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(start + (r.nextInt(20) == 0 ? -5 : r.nextInt(100_000_000)));
    if (r.nextBoolean()) s.setParentSpanId(id(r, r.nextInt(20) == 0 ? 3 : 8));
    if (r.nextInt(4) == 0) s.setTraceState("vendor=" + r.nextInt(99));
    if (r.nextBoolean()) s.setFlags(r.nextInt(0x400));
    for (int a = r.nextInt(9); a > 0; a--) s.addAttributes(kv(r, 0));
    if (r.nextInt(6) == 0) s.setDroppedAttributesCount(r.nextInt(3));
    for (int e = r.nextInt(3); e > 0; e--) {
      Span.Event.Builder event =
          Span.Event.newBuilder().setTimeUnixNano(start + r.nextInt(1000)).setName("event" + e);
      if (r.nextBoolean()) event.addAttributes(kv(r, 0));
      if (r.nextInt(5) == 0) event.setDroppedAttributesCount(2);
      s.addEvents(event);
    }
    if (r.nextInt(6) == 0) s.setDroppedEventsCount(1);
    for (int l = r.nextInt(3); l > 0; l--) {
      Span.Link.Builder link =
          Span.Link.newBuilder()
              .setTraceId(id(r, r.nextInt(15) == 0 ? 5 : 16))
              .setSpanId(id(r, r.nextInt(15) == 0 ? 0 : 8));
      if (r.nextBoolean()) link.setTraceState("a=b");
      if (r.nextBoolean()) link.addAttributes(kv(r, 0));
      if (r.nextBoolean()) link.setFlags(0x101);
      if (r.nextInt(5) == 0) link.setDroppedAttributesCount(3);
      s.addLinks(link);
    }
    if (r.nextInt(6) == 0) s.setDroppedLinksCount(2);
    if (r.nextBoolean()) {
      s.setStatus(
          Status.newBuilder()
              .setCodeValue(r.nextInt(4))
              .setMessage(r.nextBoolean() ? "" : "boom " + r.nextInt(9)));
    }
    return s.build();
  }

  private static ByteString id(Random r, int length) {
    byte[] bytes = new byte[length];
    r.nextBytes(bytes);
    if (length > 0 && r.nextInt(30) == 0) Arrays.fill(bytes, (byte) 0); // all-zero: invalid
    return ByteString.copyFrom(bytes);
  }

  private static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static KeyValue kv(Random r, int depth) {
    return kv("key." + r.nextInt(20), value(r, depth));
  }

  private static AnyValue.Builder value(Random r, int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (r.nextInt(depth < 2 ? 9 : 6)) {
      case 0, 1 ->
          v.setStringValue(
              r.nextInt(8) == 0 ? "zé\u001e\u0000 " + r.nextInt() : "v" + r.nextInt(100));
      case 2 -> v.setBoolValue(r.nextBoolean());
      case 3 -> v.setIntValue(r.nextLong());
      case 4 -> v.setDoubleValue(r.nextInt(10) == 0 ? Double.NaN : r.nextDouble() * 1e6);
      case 5 -> {} // no value at all
      case 6 -> {
        byte[] bytes = new byte[r.nextInt(6)];
        r.nextBytes(bytes);
        v.setBytesValue(ByteString.copyFrom(bytes));
      }
      case 7 -> {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (int i = r.nextInt(4); i > 0; i--) array.addValues(value(r, depth + 1));
        v.setArrayValue(array);
      }
      default -> {
        KeyValueList.Builder list = KeyValueList.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) list.addValues(kv(r, depth + 1));
        v.setKvlistValue(list);
      }
    }
    return v;
  }
}
