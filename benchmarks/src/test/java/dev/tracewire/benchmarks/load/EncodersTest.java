package dev.tracewire.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.OtlpProtoDecoder;
import dev.tracewire.server.ingest.SpanFormat;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.storage.tck.RealisticLoad;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodersTest {
  // enough traces that the 1-in-50 error traces (status, exception event) are among them
  static final List<Span> SPANS = spans(1_000);

  @Test
  void otlpProto_roundTripsThroughTheServerDecoder_unchanged() {
    DecodeResult decoded = OtlpProtoDecoder.decode(OtlpProto.encode(SPANS));

    assertThat(decoded.isMalformed()).isFalse();
    assertThat(decoded.rejectedCount()).isZero();
    assertThat(decoded.spans()).containsExactlyInAnyOrderElementsOf(SPANS);
  }

  @Test
  void zipkinJson_roundTripsThroughTheServerDecoder_withZipkinsModel() {
    assertThat(SPANS).anyMatch(s -> s.status().code() == StatusCode.ERROR);
    DecodeResult decoded =
        SpanFormat.zipkinForContentType("application/json").decode(ZipkinJson.encode(SPANS));

    assertThat(decoded.isMalformed()).as(decoded.malformedReason()).isFalse();
    assertThat(decoded.rejectedCount()).isZero();
    assertThat(decoded.spans()).hasSameSizeAs(SPANS);
    for (int i = 0; i < SPANS.size(); i++) {
      Span sent = SPANS.get(i);
      Span got = decoded.spans().get(i);
      assertThat(got.traceId()).isEqualTo(sent.traceId());
      assertThat(got.spanId()).isEqualTo(sent.spanId());
      assertThat(got.parentSpanId()).isEqualTo(sent.parentSpanId());
      // Zipkin's span model lowercases names
      assertThat(got.name()).isEqualToIgnoringCase(sent.name());
      assertThat(got.kind()).isEqualTo(sent.kind());
      assertThat(got.serviceName()).isEqualTo(sent.serviceName());
      assertThat(got.startEpochNanos()).isEqualTo(sent.startEpochNanos() / 1000 * 1000);
      for (Attribute a : sent.attributes().asList()) {
        assertThat(got.attributes().get(a.key()).asString())
            .as(a.key())
            .isEqualTo(a.value().asString());
      }
      if (sent.status().code() == StatusCode.ERROR) {
        assertThat(got.status().code()).isEqualTo(StatusCode.ERROR);
      }
    }
  }

  @Test
  void loopback_refusesOtherHosts() {
    Loopback.require(URI.create("http://127.0.0.1:9411/api/v2/spans"));
    Loopback.require(URI.create("http://localhost:9411/api/v2/spans"));

    assertThatThrownBy(() -> Loopback.require(URI.create("http://192.0.2.1:9411/api/v2/spans")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void latencies_nearestRankPercentiles() {
    Latencies l = new Latencies();
    for (int i = 1; i <= 100; i++) l.record(i * 1_000_000L);

    assertThat(l.percentileMillis(50)).isEqualTo(50.0);
    assertThat(l.percentileMillis(99)).isEqualTo(99.0);
    assertThat(l.percentileMillis(100)).isEqualTo(100.0);
  }

  private static List<Span> spans(int traces) {
    RealisticLoad load = RealisticLoad.create(1);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < traces; i++) spans.addAll(load.trace());
    return spans;
  }
}
