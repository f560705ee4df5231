package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Arbitrary span soups never make the analysis throw, and what it says stays well-formed. */
class RandomizedTest {
  static final String[] KEYS = {
    SpanFacts.RECEIVED,
    SpanFacts.INVALID,
    SpanFacts.USED,
    SpanFacts.CONFLICT,
    SpanFacts.REMOTE_PARENT,
    SpanFacts.INJECTED,
    SpanFacts.REQUEST_ID,
    "guid:x-request-id",
    "component",
    "upstream_cluster",
    "messaging.system",
    "messaging.destination.name",
    "messaging.message.id",
    "messaging.destination.partition.id",
    "messaging.kafka.offset",
    "db.system",
    "rpc.system",
    "http.request.method",
    "url.full",
    "url.path",
    "http.route",
    "server.address",
    "server.port",
    "peer.service",
    "network.peer.address",
    "http.response.status_code",
    "zipkin.shared"
  };

  static AttributeValue value(Random r) {
    switch (r.nextInt(7)) {
      case 0:
        return AttributeValue.of(r.nextLong());
      case 1:
        return AttributeValue.of(r.nextBoolean());
      case 2:
        return strings("tracecontext", "b3", "xrequestid");
      case 3:
        return AttributeValue.of("[\"b3\",, \"\" ,tracecontext");
      case 4:
        return AttributeValue.of(
            r.nextInt(3) == 0 ? "" : "http://h" + r.nextInt(3) + ":8/p/" + r.nextInt(3));
      case 5:
        return AttributeValue.ofArray(List.of(AttributeValue.of(1.5), AttributeValue.empty()));
      default:
        return AttributeValue.of(Long.toHexString(r.nextLong()));
    }
  }

  @Test
  void arbitrarySpans_neverThrow_findingsWellFormed() {
    Random r = new Random(7);
    for (int round = 0; round < 20; round++) {
      List<Span> spans = new ArrayList<>();
      TraceId[] traces = new TraceId[8];
      for (int i = 0; i < traces.length; i++)
        traces[i] = TraceId.of(r.nextInt(2), 1 + r.nextInt(1000));
      for (int i = 0; i < 300; i++) {
        Attributes.Builder a = Attributes.newBuilder();
        for (int k = r.nextInt(8); k > 0; k--) a.put(KEYS[r.nextInt(KEYS.length)], value(r));
        List<Link> links = new ArrayList<>();
        if (r.nextInt(10) == 0)
          links.add(link(traces[r.nextInt(traces.length)], 1 + r.nextInt(40)));
        long start = r.nextInt(1000);
        spans.add(
            span(
                    "svc" + r.nextInt(5),
                    SpanKind.values()[r.nextInt(SpanKind.values().length)],
                    traces[r.nextInt(traces.length)],
                    1 + r.nextInt(40),
                    r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(45),
                    start,
                    start + r.nextInt(200) - 20)
                .attributes(a.build())
                .links(links)
                .build());
      }
      TraceIntegrity streaming = TraceIntegrity.newBuilder().maxOpenSpans(50).build();
      AnalysisResult all = AnalysisResult.empty();
      for (int i = 0; i < spans.size(); i++) {
        streaming.add(List.of(spans.get(i)), at(i * 100L));
        if (i % 17 == 0) all = all.plus(streaming.poll(at(i * 100L)));
      }
      all = all.plus(streaming.flush(at(spans.size() * 100L)));
      AnalysisResult batch = TraceIntegrity.analyze(spans);

      for (AnalysisResult result : List.of(all, batch)) {
        for (Finding f : result.findings()) {
          assertThat(f.spanIds()).isNotEmpty().allSatisfy(id -> assertThat(id).hasSize(16));
          assertThat(f.traceIds()).isNotEmpty().allSatisfy(id -> assertThat(id).hasSize(32));
          assertThat(f.evidence()).isNotBlank();
          assertThat(f.hint()).isNotBlank();
        }
        for (EdgeStats e : result.edges()) {
          assertThat(e.intact()).isNotNegative();
          assertThat(e.broken()).isNotNegative();
          assertThat(e.ratio()).isBetween(0.0, 1.0);
        }
        assertThat(IntegrityJson.report(result)).startsWith("{\"traces\":").endsWith("]}");
      }
      assertThat(streaming.openTraces()).isZero();
      assertThat(streaming.pendingHops()).isZero();
    }
  }
}
