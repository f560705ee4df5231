package dev.tracewire.server.storage.tck;

import static dev.tracewire.server.storage.tck.TestFindings.FRONTEND_PAYMENTS;
import static dev.tracewire.server.storage.tck.TestFindings.ORDERS_BILLING;
import static dev.tracewire.server.storage.tck.TestFindings.SPLIT_AT_KAFKA;
import static dev.tracewire.server.storage.tck.TestFindings.STRIPPED_AT_PROXY;
import static dev.tracewire.server.storage.tck.TestFindings.UNPAIRED_SEARCH;
import static dev.tracewire.server.storage.tck.TestFindings.stats;
import static dev.tracewire.server.storage.tck.TestSpans.BACKEND;
import static dev.tracewire.server.storage.tck.TestSpans.BACKEND_DB_CLIENT;
import static dev.tracewire.server.storage.tck.TestSpans.BACKEND_SERVER;
import static dev.tracewire.server.storage.tck.TestSpans.CHECKOUT;
import static dev.tracewire.server.storage.tck.TestSpans.DB_SERVER;
import static dev.tracewire.server.storage.tck.TestSpans.EPOCH;
import static dev.tracewire.server.storage.tck.TestSpans.EVERY_FIELD;
import static dev.tracewire.server.storage.tck.TestSpans.FRONTEND;
import static dev.tracewire.server.storage.tck.TestSpans.FRONTEND_CLIENT;
import static dev.tracewire.server.storage.tck.TestSpans.FRONTEND_ROOT;
import static dev.tracewire.server.storage.tck.TestSpans.TRACE;
import static dev.tracewire.server.storage.tck.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tracewire.server.analysis.Edge;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.analysis.Hop;
import dev.tracewire.server.analysis.Transport;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.DependencyLink;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.Operation;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.StorageException;
import dev.tracewire.server.storage.TraceQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one suite every {@link SpanStore} backend passes. Extend it in the backend's tests and return
 * a fresh, empty store from {@link #newStore()}.
 *
 * <pre>{@code
 * class DuckDbSpanStoreTest extends SpanStoreSuite {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected SpanStore newStore() {
 *     return DuckDbSpanStore.open(dir);
 *   }
 * }
 * }</pre>
 */
public abstract class SpanStoreSuite {
  /** The store under test, fresh and empty for each test. */
  protected SpanStore store;

  /** Returns a new, empty store; the suite closes it after each test. */
  protected abstract SpanStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  // ---- round trip ----

  @Test
  void write_everyField_roundTrips() {
    store.write(List.of(EVERY_FIELD));

    List<Span> trace = store.trace(EVERY_FIELD.traceId());

    assertThat(trace).hasSize(1);
    Span read = trace.get(0);
    // field by field first, so a failure names the field
    assertThat(read.traceId()).isEqualTo(EVERY_FIELD.traceId());
    assertThat(read.spanId()).isEqualTo(EVERY_FIELD.spanId());
    assertThat(read.parentSpanId()).isEqualTo(EVERY_FIELD.parentSpanId());
    assertThat(read.name()).isEqualTo(EVERY_FIELD.name());
    assertThat(read.kind()).isEqualTo(EVERY_FIELD.kind());
    assertThat(read.startEpochNanos()).isEqualTo(EVERY_FIELD.startEpochNanos());
    assertThat(read.endEpochNanos()).isEqualTo(EVERY_FIELD.endEpochNanos());
    assertThat(read.status()).isEqualTo(EVERY_FIELD.status());
    assertThat(read.attributes().asList()).isEqualTo(EVERY_FIELD.attributes().asList());
    assertThat(read.events()).isEqualTo(EVERY_FIELD.events());
    assertThat(read.links()).isEqualTo(EVERY_FIELD.links());
    assertThat(read.traceState()).isEqualTo(EVERY_FIELD.traceState());
    assertThat(read.flags()).isEqualTo(EVERY_FIELD.flags());
    assertThat(read.resource()).isEqualTo(EVERY_FIELD.resource());
    assertThat(read.scope()).isEqualTo(EVERY_FIELD.scope());
    assertThat(read.droppedAttributesCount()).isEqualTo(EVERY_FIELD.droppedAttributesCount());
    assertThat(read.droppedEventsCount()).isEqualTo(EVERY_FIELD.droppedEventsCount());
    assertThat(read.droppedLinksCount()).isEqualTo(EVERY_FIELD.droppedLinksCount());
    assertThat(read).isEqualTo(EVERY_FIELD);
  }

  @Test
  void write_minimalSpan_roundTrips() {
    Span minimal =
        Span.newBuilder()
            .traceId(TraceId.of(0, 1))
            .spanId(1)
            .startEpochNanos(1)
            .endEpochNanos(1)
            .build();

    store.write(List.of(minimal));

    assertThat(store.trace(TraceId.of(0, 1))).containsExactly(minimal);
  }

  @Test
  void trace_returnsSpansOrderedByStart() {
    store.write(List.of(DB_SERVER, FRONTEND_CLIENT, BACKEND_DB_CLIENT, FRONTEND_ROOT));
    store.write(List.of(BACKEND_SERVER));

    assertThat(store.trace(TRACE)).containsExactlyElementsOf(CHECKOUT);
  }

  @Test
  void trace_unknown_isEmpty() {
    store.write(CHECKOUT);

    assertThat(store.trace(TraceId.of(7, 7))).isEmpty();
    // same low bits, different high bits: a 64-bit id is not a 128-bit one
    assertThat(store.trace(TraceId.of(0, TRACE.low()))).isEmpty();
  }

  @Test
  void write_emptyList_isNoop() {
    store.write(List.of());

    assertThat(store.services()).isEmpty();
  }

  @Test
  void trace_doesNotMixTraces() {
    TraceId other = TraceId.of(1, 2);
    Span otherSpan = span(other, 0x1L, 0, FRONTEND, "other", SpanKind.SERVER, 0, 1).build();

    store.write(List.of(FRONTEND_ROOT, otherSpan));

    assertThat(store.trace(TRACE)).containsExactly(FRONTEND_ROOT);
    assertThat(store.trace(other)).containsExactly(otherSpan);
  }

  // ---- dedupe ----

  @Test
  void write_sameSpanTwice_keepsOne() {
    store.write(CHECKOUT);
    store.write(CHECKOUT); // an exporter retry
    store.write(List.of(FRONTEND_ROOT, FRONTEND_ROOT)); // twice in one batch

    assertThat(store.trace(TRACE)).containsExactlyElementsOf(CHECKOUT);
    assertThat(store.search(TraceQuery.newBuilder().build())).containsExactly(TRACE);
    assertThat(store.dependencies(0, Long.MAX_VALUE))
        .extracting(DependencyLink::callCount)
        .containsOnly(1L);
  }

  // ---- search ----

  @Test
  void search_byService() {
    TraceId other = writeOtherTrace("cart", "GET /cart", 1000, 10);
    store.write(CHECKOUT);

    assertThat(store.search(query().serviceName("db").build())).containsExactly(TRACE);
    assertThat(store.search(query().serviceName("cart").build())).containsExactly(other);
    assertThat(store.search(query().serviceName("nope").build())).isEmpty();
  }

  @Test
  void search_bySpanName() {
    TraceId other = writeOtherTrace("cart", "GET /cart", 1000, 10);
    store.write(CHECKOUT);

    assertThat(store.search(query().spanName("SELECT").build())).containsExactly(TRACE);
    assertThat(store.search(query().spanName("GET /cart").build())).containsExactly(other);
  }

  @Test
  void search_serviceAndSpanName_mustMatchOneSpan() {
    store.write(CHECKOUT);

    // frontend has "POST /charge" (its client span) but no "SELECT"; backend has "SELECT"
    assertThat(store.search(query().serviceName("frontend").spanName("POST /charge").build()))
        .containsExactly(TRACE);
    assertThat(store.search(query().serviceName("frontend").spanName("SELECT").build())).isEmpty();
  }

  @Test
  void search_byTag_stringLongBool() {
    store.write(CHECKOUT);
    writeOtherTrace("cart", "GET /cart", 1000, 10);

    assertThat(store.search(query().tag("http.method", "GET").build())).containsExactly(TRACE);
    assertThat(store.search(query().tag("http.status_code", "200").build())).containsExactly(TRACE);
    assertThat(store.search(query().tag("retry", "true").build())).containsExactly(TRACE);
    assertThat(store.search(query().tag("http.method", "POST").build())).isEmpty();
    assertThat(store.search(query().tag("http.status_code", "20").build())).isEmpty();
    assertThat(store.search(query().tag("http.method", "GE").build())).isEmpty();
  }

  @Test
  void search_byTag_allTagsOnOneSpan() {
    store.write(CHECKOUT);

    assertThat(
            store.search(query().tag("http.method", "GET").tag("http.status_code", "200").build()))
        .containsExactly(TRACE);
    // "retry" is on the backend span, "http.method" on the frontend span
    assertThat(store.search(query().tag("http.method", "GET").tag("retry", "true").build()))
        .isEmpty();
  }

  @Test
  void search_byTag_matchesResourceAttributes() {
    store.write(List.of(EVERY_FIELD));
    store.write(CHECKOUT);

    assertThat(store.search(query().tag("process.pid", "1234").build()))
        .containsExactly(EVERY_FIELD.traceId());
    assertThat(store.search(query().tag("service.name", "db").build())).containsExactly(TRACE);
  }

  @Test
  void search_byJaegerDerivedTags_matchStatusAndKind() {
    store.write(CHECKOUT); // BACKEND_SERVER has status ERROR
    writeOtherTrace("cart", "GET /cart", 1000, 10); // SERVER, status UNSET

    assertThat(store.search(query().tag("error", "true").build())).containsExactly(TRACE);
    assertThat(store.search(query().tag("otel.status_code", "ERROR").build()))
        .containsExactly(TRACE);
    assertThat(store.search(query().tag("error", "true").serviceName("frontend").build()))
        .isEmpty();
    assertThat(store.search(query().tag("span.kind", "client").build())).containsExactly(TRACE);
    assertThat(store.search(query().tag("span.kind", "producer").build())).isEmpty();
    assertThat(store.search(query().tag("span.kind", "client").tag("error", "true").build()))
        .isEmpty(); // the error span is a SERVER span
    assertThat(store.search(query().tag("error", "false").build())).isEmpty();
  }

  @Test
  void search_byTag_hostileValues() {
    store.write(List.of(EVERY_FIELD));

    String hostile = EVERY_FIELD.attributes().getString("string.hostile");
    assertThat(store.search(query().tag("string.hostile", hostile).build()))
        .containsExactly(EVERY_FIELD.traceId());
    assertThat(store.search(query().tag("string.empty", "").build()))
        .containsExactly(EVERY_FIELD.traceId());
    assertThat(store.search(query().tag("double", "3.25").build()))
        .containsExactly(EVERY_FIELD.traceId());
    assertThat(store.search(query().tag("string.hostile", hostile.substring(1)).build())).isEmpty();
  }

  @Test
  void search_byMinAndMaxDuration() {
    store.write(CHECKOUT); // durations 100, 50, 46, 5, 3 ms

    assertThat(store.search(query().minDuration(Duration.ofMillis(100)).build()))
        .containsExactly(TRACE);
    assertThat(store.search(query().minDuration(Duration.ofMillis(101)).build())).isEmpty();
    assertThat(store.search(query().maxDuration(Duration.ofMillis(3)).build()))
        .containsExactly(TRACE);
    assertThat(store.search(query().maxDuration(Duration.ofMillis(2)).build())).isEmpty();
    // both bounds on the same span: only spans of 47..49 ms would match; none exist
    assertThat(
            store.search(
                query()
                    .minDuration(Duration.ofMillis(47))
                    .maxDuration(Duration.ofMillis(49))
                    .build()))
        .isEmpty();
    assertThat(
            store.search(
                query()
                    .serviceName("db")
                    .minDuration(Duration.ofMillis(3))
                    .maxDuration(Duration.ofMillis(3))
                    .build()))
        .containsExactly(TRACE);
  }

  @Test
  void search_byTimeWindow_onSpanStart() {
    store.write(CHECKOUT); // starts at EPOCH + 0..21 ms
    TraceId later = writeOtherTrace("cart", "GET /cart", 60_000, 10); // EPOCH + 1 min

    assertThat(store.search(query().start(EPOCH.plusSeconds(30)).build())).containsExactly(later);
    assertThat(store.search(query().end(EPOCH.plusSeconds(30)).build())).containsExactly(TRACE);
    assertThat(store.search(query().start(EPOCH.plusMillis(21)).end(EPOCH.plusMillis(21)).build()))
        .containsExactly(TRACE);
    assertThat(store.search(query().start(EPOCH.plusMillis(22)).end(EPOCH.plusSeconds(59)).build()))
        .isEmpty();
  }

  @Test
  void search_newestFirst_andLimit() {
    List<TraceId> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.add(0, writeOtherTrace("svc", "op", i * 1000L, 1));
    }

    assertThat(store.search(query().build())).containsExactlyElementsOf(expected);
    assertThat(store.search(query().limit(3).build()))
        .containsExactlyElementsOf(expected.subList(0, 3));
    assertThat(store.search(query().limit(1).build())).containsExactly(expected.get(0));
  }

  @Test
  void search_spreadOverMonths_newestFirst() {
    List<TraceId> newestFirst = new ArrayList<>();
    long day = 86_400_000L;
    for (int i = 0; i < 40; i++) {
      // uneven gaps: seconds apart, then days, then weeks
      long at = i < 10 ? i * 1000L : i < 20 ? i * day : i * 7 * day;
      newestFirst.add(0, writeOtherTrace(i % 2 == 0 ? "even" : "odd", "op", at, 1));
    }

    assertThat(store.search(query().limit(5).build()))
        .containsExactlyElementsOf(newestFirst.subList(0, 5));
    assertThat(store.search(query().limit(100).build())).containsExactlyElementsOf(newestFirst);
    assertThat(store.search(query().serviceName("odd").limit(100).build()))
        .containsExactlyElementsOf(
            newestFirst.stream().filter(id -> newestFirst.indexOf(id) % 2 == 0).toList());
    assertThat(store.search(query().end(EPOCH.plusMillis(15 * day)).limit(3).build()))
        .containsExactlyElementsOf(newestFirst.subList(24, 27));
  }

  @Test
  void search_sameNewestStart_tiesByTraceIdUnsigned() {
    TraceId low = TraceId.of(0x7fffffffffffffffL, 1);
    TraceId high = TraceId.of(0x8000000000000000L, 0);
    TraceId highest = TraceId.of(-1L, -1L);
    for (TraceId id : List.of(highest, low, high)) {
      store.write(List.of(span(id, 1, 0, FRONTEND, "op", SpanKind.SERVER, 5, 1).build()));
    }

    assertThat(store.search(query().build())).containsExactly(low, high, highest);
  }

  @Test
  void search_defaultLimit() {
    for (int i = 0; i < TraceQuery.DEFAULT_LIMIT + 5; i++) writeOtherTrace("svc", "op", i, 1);

    assertThat(store.search(query().build())).hasSize(TraceQuery.DEFAULT_LIMIT);
  }

  @Test
  void searchTraces_returnsWholeTraces() {
    store.write(CHECKOUT);

    assertThat(store.searchTraces(query().serviceName("db").build())).containsExactly(CHECKOUT);
  }

  // ---- services, operations, dependencies ----

  @Test
  void services_distinctAndSorted() {
    store.write(CHECKOUT);
    store.write(List.of(EVERY_FIELD));
    Span noService =
        span(TraceId.of(3, 3), 1, 0, Resource.empty(), "anon", SpanKind.INTERNAL, 0, 1).build();
    store.write(List.of(noService));

    assertThat(store.services())
        .containsExactly("backend", "consumer", "db", "frontend", "unknown_service");
  }

  @Test
  void operations_nameAndKind_perService() {
    store.write(CHECKOUT);
    Span internal = span(TRACE, 0x6L, 0x3L, BACKEND, "SELECT", SpanKind.INTERNAL, 30, 1).build();
    store.write(List.of(internal));

    assertThat(store.operations("backend"))
        .containsExactly(
            new Operation("POST /charge", SpanKind.SERVER),
            new Operation("SELECT", SpanKind.INTERNAL),
            new Operation("SELECT", SpanKind.CLIENT));
    assertThat(store.operations("frontend"))
        .containsExactly(
            new Operation("GET /checkout", SpanKind.SERVER),
            new Operation("POST /charge", SpanKind.CLIENT));
    assertThat(store.operations("nope")).isEmpty();
  }

  @Test
  void dependencies_parentChildAcrossServices() {
    store.write(CHECKOUT);
    // a second trace: frontend calls backend once more, without error
    TraceId second = TraceId.of(9, 9);
    store.write(
        List.of(
            span(second, 1, 0, FRONTEND, "GET /", SpanKind.SERVER, 100, 10).build(),
            span(second, 2, 1, FRONTEND, "GET /x", SpanKind.CLIENT, 101, 5).build(),
            span(second, 3, 2, BACKEND, "GET /x", SpanKind.SERVER, 102, 3).build()));

    assertThat(store.dependencies(EPOCH.toEpochMilli(), EPOCH.toEpochMilli() + 1000))
        .containsExactly(
            new DependencyLink("backend", "db", 1, 0),
            new DependencyLink("frontend", "backend", 2, 1));
  }

  @Test
  void dependencies_windowOnChildStart() {
    store.write(CHECKOUT); // backend SERVER starts at +12 ms, db SERVER at +21 ms

    long epochMillis = EPOCH.toEpochMilli();
    assertThat(store.dependencies(epochMillis + 13, epochMillis + 21))
        .containsExactly(new DependencyLink("backend", "db", 1, 0));
    assertThat(store.dependencies(epochMillis + 22, epochMillis + 10_000)).isEmpty();
    assertThat(store.dependencies(epochMillis - 10_000, epochMillis - 1)).isEmpty();
  }

  @Test
  void dependencies_missingParent_isNoEdge() {
    store.write(List.of(BACKEND_SERVER, DB_SERVER)); // their parents never arrived

    assertThat(store.dependencies(0, Long.MAX_VALUE)).isEmpty();
  }

  // ---- integrity: findings and edge counts ----

  @Test
  void writeIntegrity_finding_roundTripsEveryField() {
    store.writeIntegrity(List.of(STRIPPED_AT_PROXY), List.of());

    List<Finding> read = store.findings(FindingQuery.newBuilder().build());

    assertThat(read).hasSize(1);
    Finding f = read.get(0);
    assertThat(f.kind()).isEqualTo(STRIPPED_AT_PROXY.kind());
    assertThat(f.hop()).isEqualTo(STRIPPED_AT_PROXY.hop());
    assertThat(f.traceIds()).isEqualTo(STRIPPED_AT_PROXY.traceIds());
    assertThat(f.spanIds()).isEqualTo(STRIPPED_AT_PROXY.spanIds());
    assertThat(f.blame()).isEqualTo(STRIPPED_AT_PROXY.blame());
    assertThat(f.pairing()).isEqualTo(STRIPPED_AT_PROXY.pairing());
    assertThat(f.evidence()).isEqualTo(STRIPPED_AT_PROXY.evidence());
    assertThat(f.hint()).isEqualTo(STRIPPED_AT_PROXY.hint());
    assertThat(f.timeEpochNanos()).isEqualTo(STRIPPED_AT_PROXY.timeEpochNanos());
    assertThat(f).isEqualTo(STRIPPED_AT_PROXY);
    // an unnamed side and default blame survive too
    store.writeIntegrity(List.of(UNPAIRED_SEARCH), List.of());
    assertThat(store.findings(FindingQuery.newBuilder().kind(FindingKind.UNPAIRED_EXIT).build()))
        .containsExactly(UNPAIRED_SEARCH);
  }

  @Test
  void writeIntegrity_empty_isNoop() {
    store.writeIntegrity(List.of(), List.of());

    assertThat(store.findings(FindingQuery.newBuilder().build())).isEmpty();
    assertThat(store.edgeStats(0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void findings_newestFirst_andLimit() {
    store.writeIntegrity(List.of(SPLIT_AT_KAFKA, STRIPPED_AT_PROXY), List.of());
    store.writeIntegrity(List.of(UNPAIRED_SEARCH), List.of());

    assertThat(store.findings(FindingQuery.newBuilder().build()))
        .containsExactly(UNPAIRED_SEARCH, SPLIT_AT_KAFKA, STRIPPED_AT_PROXY);
    assertThat(store.findings(FindingQuery.newBuilder().limit(2).build()))
        .containsExactly(UNPAIRED_SEARCH, SPLIT_AT_KAFKA);
  }

  @Test
  void findings_byTimeWindow_inclusive() {
    store.writeIntegrity(List.of(STRIPPED_AT_PROXY, SPLIT_AT_KAFKA, UNPAIRED_SEARCH), List.of());
    long t = SPLIT_AT_KAFKA.timeEpochNanos();

    assertThat(
            store.findings(FindingQuery.newBuilder().startEpochNanos(t).endEpochNanos(t).build()))
        .containsExactly(SPLIT_AT_KAFKA);
    assertThat(store.findings(FindingQuery.newBuilder().endEpochNanos(t - 1).build()))
        .containsExactly(STRIPPED_AT_PROXY);
    assertThat(store.findings(FindingQuery.newBuilder().startEpochNanos(t + 1).build()))
        .containsExactly(UNPAIRED_SEARCH);
  }

  @Test
  void findings_byKind() {
    store.writeIntegrity(List.of(STRIPPED_AT_PROXY, SPLIT_AT_KAFKA, UNPAIRED_SEARCH), List.of());

    assertThat(
            store.findings(
                FindingQuery.newBuilder().kind(FindingKind.CONTEXT_NOT_EXTRACTED).build()))
        .containsExactly(SPLIT_AT_KAFKA);
    assertThat(store.findings(FindingQuery.newBuilder().kind(FindingKind.MISSING_SPAN).build()))
        .isEmpty();
  }

  @Test
  void findings_byService_eitherSideOfTheHop() {
    store.writeIntegrity(List.of(STRIPPED_AT_PROXY, SPLIT_AT_KAFKA, UNPAIRED_SEARCH), List.of());

    assertThat(store.findings(FindingQuery.newBuilder().service("frontend").build()))
        .containsExactly(UNPAIRED_SEARCH, STRIPPED_AT_PROXY);
    assertThat(store.findings(FindingQuery.newBuilder().service("billing").build()))
        .containsExactly(SPLIT_AT_KAFKA);
    assertThat(store.findings(FindingQuery.newBuilder().service("front").build())).isEmpty();
  }

  @Test
  void findings_byTraceId_anyOfItsTraces() {
    store.writeIntegrity(List.of(STRIPPED_AT_PROXY, SPLIT_AT_KAFKA, UNPAIRED_SEARCH), List.of());

    assertThat(
            store.findings(
                FindingQuery.newBuilder()
                    .traceId(TraceId.fromHex(TestFindings.CALLEE_TRACE))
                    .build()))
        .containsExactly(STRIPPED_AT_PROXY);
    assertThat(
            store.findings(
                FindingQuery.newBuilder()
                    .traceId(TraceId.fromHex(TestFindings.CALLER_TRACE))
                    .build()))
        .containsExactly(UNPAIRED_SEARCH, STRIPPED_AT_PROXY);
    assertThat(store.findings(FindingQuery.newBuilder().traceId(TraceId.of(0, 0x4bf9)).build()))
        .isEmpty();
  }

  @Test
  void findingCounts_perTrace_inOneCall() {
    store.writeIntegrity(List.of(STRIPPED_AT_PROXY, SPLIT_AT_KAFKA, UNPAIRED_SEARCH), List.of());
    TraceId caller = TraceId.fromHex(TestFindings.CALLER_TRACE);
    TraceId callee = TraceId.fromHex(TestFindings.CALLEE_TRACE);
    TraceId split = TraceId.fromHex("22222222222222222222222222222222");
    TraceId none = TraceId.of(0, 0x4bf9);

    assertThat(store.findingCounts(List.of(caller, callee, split, none)))
        .containsOnly(entry(caller, 2), entry(callee, 1), entry(split, 1));
    assertThat(store.findingCounts(List.of(callee))).containsOnly(entry(callee, 1));
    assertThat(store.findingCounts(List.of())).isEmpty();
  }

  @Test
  void findingCounts_traceNamedTwiceByOneFinding_countsOnce() {
    TraceId caller = TraceId.fromHex(TestFindings.CALLER_TRACE);
    Finding sameTrace =
        Finding.newBuilder()
            .kind(FindingKind.CONTEXT_NOT_EXTRACTED)
            .hop(new Hop("frontend", "frontend", Transport.HTTP))
            .traceIds(List.of(TestFindings.CALLER_TRACE, TestFindings.CALLER_TRACE))
            .spanIds(List.of("00f067aa0ba902b7", "b7ad6b7169203331"))
            .timeEpochNanos(STRIPPED_AT_PROXY.timeEpochNanos())
            .build();
    store.writeIntegrity(List.of(sameTrace), List.of());

    assertThat(store.findingCounts(List.of(caller))).containsOnly(entry(caller, 1));
  }

  @Test
  void edgeStats_sameEdgeAndBucket_addUpAcrossWrites() {
    store.writeIntegrity(
        List.of(),
        List.of(stats(FRONTEND_PAYMENTS, 0, 5, 1, Map.of(FindingKind.CONTEXT_STRIPPED, 1L))));
    store.writeIntegrity(
        List.of(),
        List.of(
            stats(
                FRONTEND_PAYMENTS,
                0,
                2,
                2,
                Map.of(FindingKind.CONTEXT_STRIPPED, 1L, FindingKind.FORMAT_MISMATCH, 1L))));

    assertThat(store.edgeStats(0, Long.MAX_VALUE))
        .containsExactly(
            stats(
                FRONTEND_PAYMENTS,
                0,
                7,
                3,
                Map.of(FindingKind.CONTEXT_STRIPPED, 2L, FindingKind.FORMAT_MISMATCH, 1L)));
  }

  @Test
  void edgeStats_windowOnBucketStart_orderedByBucketThenEdge() {
    Edge otherTopic = new Edge("orders", "billing", Transport.KAFKA, "orders.cancelled");
    store.writeIntegrity(
        List.of(),
        List.of(
            stats(ORDERS_BILLING, 2, 1, 0, Map.of()),
            stats(FRONTEND_PAYMENTS, 1, 3, 0, Map.of()),
            stats(ORDERS_BILLING, 1, 4, 1, Map.of(FindingKind.CONTEXT_NOT_EXTRACTED, 1L)),
            stats(otherTopic, 1, 6, 0, Map.of(FindingKind.CLOCK_SKEW, 2L)),
            stats(FRONTEND_PAYMENTS, 0, 9, 0, Map.of())));
    long minute1 = TestSpans.EPOCH_NANOS + TestFindings.MINUTE_NANOS;

    assertThat(store.edgeStats(minute1, minute1))
        .containsExactly(
            stats(FRONTEND_PAYMENTS, 1, 3, 0, Map.of()),
            stats(otherTopic, 1, 6, 0, Map.of(FindingKind.CLOCK_SKEW, 2L)),
            stats(ORDERS_BILLING, 1, 4, 1, Map.of(FindingKind.CONTEXT_NOT_EXTRACTED, 1L)));
    assertThat(store.edgeStats(minute1, Long.MAX_VALUE)).hasSize(4);
    assertThat(store.edgeStats(0, minute1 - 1))
        .containsExactly(stats(FRONTEND_PAYMENTS, 0, 9, 0, Map.of()));
  }

  @Test
  void deleteOlderThan_deletesOlderFindingsAndEdgeBuckets() {
    store.writeIntegrity(
        List.of(STRIPPED_AT_PROXY, SPLIT_AT_KAFKA, UNPAIRED_SEARCH),
        List.of(
            stats(FRONTEND_PAYMENTS, 0, 9, 0, Map.of()),
            stats(FRONTEND_PAYMENTS, 1, 3, 0, Map.of())));

    store.deleteOlderThan(EPOCH.plusMillis(2_000));

    assertThat(store.findings(FindingQuery.newBuilder().build()))
        .containsExactly(UNPAIRED_SEARCH, SPLIT_AT_KAFKA);
    assertThat(store.edgeStats(0, Long.MAX_VALUE))
        .containsExactly(stats(FRONTEND_PAYMENTS, 1, 3, 0, Map.of()));
  }

  @Test
  void writeIntegrity_afterClose_fails() {
    store.close();

    assertThatThrownBy(() -> store.writeIntegrity(List.of(STRIPPED_AT_PROXY), List.of()))
        .isInstanceOf(StorageException.class);
    store = null;
  }

  // ---- retention ----

  @Test
  void deleteOlderThan_deletesOnlyOlderSpans() {
    store.write(CHECKOUT); // EPOCH + 0..21 ms
    TraceId later = writeOtherTrace("cart", "GET /cart", 60_000, 10);

    long deleted = store.deleteOlderThan(EPOCH.plusMillis(12));

    assertThat(deleted).isEqualTo(2); // FRONTEND_ROOT (+0) and FRONTEND_CLIENT (+10)
    assertThat(store.trace(TRACE)).containsExactly(BACKEND_SERVER, BACKEND_DB_CLIENT, DB_SERVER);
    assertThat(store.trace(later)).hasSize(1);
    assertThat(store.deleteOlderThan(EPOCH.plusSeconds(59))).isEqualTo(3);
    assertThat(store.trace(TRACE)).isEmpty();
    assertThat(store.services()).containsExactly("cart");
    assertThat(store.search(query().build())).containsExactly(later);
  }

  @Test
  void storageBytes_growsWithWrites() {
    long empty = store.storageBytes();
    for (int i = 0; i < 50; i++) writeOtherTrace("svc", "op", i, 1);

    assertThat(store.storageBytes()).isGreaterThan(empty).isGreaterThan(0);
  }

  @Test
  void deleteOldestUntil_underBudget_deletesNothing() {
    store.write(CHECKOUT);

    assertThat(store.deleteOldestUntil(Long.MAX_VALUE)).isZero();
    assertThat(store.trace(TRACE)).hasSize(5);
  }

  @Test
  void deleteOldestUntil_deletesOldestFirst() {
    // enough incompressible bytes that block-allocating backends have many blocks to free
    SplittableRandom random = new SplittableRandom(7);
    int batches = 40;
    List<TraceId> firstOfBatch = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<Span> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        TraceId id = TraceId.of(b + 1, random.nextLong());
        if (i == 0) firstOfBatch.add(id);
        StringBuilder payload = new StringBuilder();
        while (payload.length() < 1000) payload.append(Long.toHexString(random.nextLong()));
        batch.add(
            span(id, i + 1, 0, FRONTEND, "op", SpanKind.SERVER, b * 1000L + i, 1)
                .attributes(Attributes.newBuilder().put("payload", payload.toString()).build())
                .build());
      }
      store.write(batch);
    }
    compact();
    long full = store.storageBytes();

    long deleted = store.deleteOldestUntil(full / 2);

    assertThat(deleted).isPositive();
    assertThat(store.storageBytes()).isLessThanOrEqualTo(full / 2);
    int firstSurvivor = -1;
    for (int b = 0; b < batches; b++) {
      boolean present = !store.trace(firstOfBatch.get(b)).isEmpty();
      if (present && firstSurvivor < 0) firstSurvivor = b;
      if (firstSurvivor >= 0) {
        assertThat(present).as("batch %s after first survivor %s", b, firstSurvivor).isTrue();
      }
    }
    assertThat(firstSurvivor).as("oldest batch deleted, newest kept").isBetween(1, batches - 1);
    assertThat(store.deleteOldestUntil(0)).isPositive();
    assertThat(store.search(query().build())).isEmpty();
  }

  /**
   * Lets a backend settle buffered writes into their final storage form (e.g. checkpoint a
   * write-ahead log) before the suite measures {@link SpanStore#storageBytes()}.
   */
  protected void compact() {}

  // ---- concurrency and lifecycle ----

  @Test
  void concurrentWriters_everySpanStoredOnce() throws Exception {
    int writers = 4;
    int batches = 25;
    int spansPerBatch = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < batches; b++) {
                    List<Span> batch = new ArrayList<>();
                    for (int s = 0; s < spansPerBatch; s++) {
                      // every writer writes the same spans: retries racing each other
                      batch.add(
                          span(
                                  TraceId.of(1, b + 1),
                                  s + 1,
                                  0,
                                  FRONTEND,
                                  "op",
                                  SpanKind.SERVER,
                                  b,
                                  1)
                              .build());
                      batch.add(
                          span(
                                  TraceId.of(2, writer * 1000L + b + 1),
                                  s + 1,
                                  0,
                                  BACKEND,
                                  "op",
                                  SpanKind.SERVER,
                                  b,
                                  1)
                              .build());
                    }
                    store.write(batch);
                  }
                }));
      }
      for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    for (int b = 0; b < batches; b++) {
      assertThat(store.trace(TraceId.of(1, b + 1))).hasSize(spansPerBatch);
      for (int w = 0; w < writers; w++) {
        assertThat(store.trace(TraceId.of(2, w * 1000L + b + 1))).hasSize(spansPerBatch);
      }
    }
    Set<TraceId> all = new HashSet<>(store.search(query().limit(10_000).build()));
    assertThat(all).hasSize(batches + writers * batches);
  }

  @Test
  void write_afterClose_fails() {
    store.close();

    assertThatThrownBy(() -> store.write(CHECKOUT)).isInstanceOf(StorageException.class);
    store = null;
  }

  static TraceQuery.Builder query() {
    return TraceQuery.newBuilder();
  }

  /** Writes a one-span trace with a random-looking, fixed id and returns the id. */
  protected TraceId writeOtherTrace(String service, String name, long startMillis, long millis) {
    TraceId id = TraceId.of(0x1000 + startMillis, startMillis * 31 + service.hashCode());
    store.write(
        List.of(
            span(
                    id,
                    0xabcL,
                    0,
                    TestSpans.resource(service),
                    name,
                    SpanKind.SERVER,
                    startMillis,
                    millis)
                .attributes(Attributes.newBuilder().put("i", startMillis).build())
                .build()));
    return id;
  }
}
