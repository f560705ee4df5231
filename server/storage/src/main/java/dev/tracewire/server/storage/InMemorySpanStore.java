package dev.tracewire.server.storage;

import dev.tracewire.server.analysis.Edge;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link SpanStore} in the heap, for tests and demos; nothing survives the process.
 *
 * <p>{@code SpanStore store = InMemorySpanStore.create();}
 */
public final class InMemorySpanStore implements SpanStore {
  private static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startEpochNanos).thenComparingLong(Span::spanId);

  // guarded by this; one lock keeps the backend obviously correct, it is not built for speed
  private final Map<TraceId, Map<Long, Span>> traces = new HashMap<>();
  private final List<Finding> findings = new ArrayList<>();
  private final Map<List<Object>, EdgeStats> edgeStats = new HashMap<>();
  private long bytes;
  private boolean closed;

  /** Newest first; ties by kind, then span ids, so every backend orders alike. */
  static final Comparator<Finding> NEWEST_FINDING_FIRST =
      Comparator.comparingLong(Finding::timeEpochNanos)
          .reversed()
          .thenComparing(f -> f.kind().wireName())
          .thenComparing(f -> String.join(",", f.spanIds()));

  static final Comparator<EdgeStats> EDGE_ORDER =
      Comparator.comparingLong(EdgeStats::bucketStartEpochNanos)
          .thenComparing(EdgeStats::edge, InMemorySpanStore::compareEdges);

  private InMemorySpanStore() {}

  public static InMemorySpanStore create() {
    return new InMemorySpanStore();
  }

  @Override
  public synchronized void write(List<Span> spans) {
    checkOpen();
    for (Span span : spans) {
      Map<Long, Span> trace = traces.computeIfAbsent(span.traceId(), id -> new LinkedHashMap<>());
      if (trace.putIfAbsent(span.spanId(), span) == null) bytes += estimateBytes(span);
    }
  }

  @Override
  public synchronized List<Span> trace(TraceId traceId) {
    checkOpen();
    Map<Long, Span> trace = traces.get(traceId);
    if (trace == null) return List.of();
    List<Span> result = new ArrayList<>(trace.values());
    result.sort(BY_START);
    return result;
  }

  @Override
  public synchronized List<TraceId> search(TraceQuery query) {
    checkOpen();
    Map<TraceId, Long> newestMatch = new HashMap<>();
    for (Map.Entry<TraceId, Map<Long, Span>> trace : traces.entrySet()) {
      for (Span span : trace.getValue().values()) {
        if (query.test(span)) {
          newestMatch.merge(trace.getKey(), span.startEpochNanos(), Math::max);
        }
      }
    }
    List<Map.Entry<TraceId, Long>> sorted = new ArrayList<>(newestMatch.entrySet());
    sorted.sort(
        Map.Entry.<TraceId, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    List<TraceId> result = new ArrayList<>();
    for (int i = 0; i < sorted.size() && i < query.limit(); i++) result.add(sorted.get(i).getKey());
    return result;
  }

  @Override
  public synchronized List<String> services() {
    checkOpen();
    TreeSet<String> services = new TreeSet<>();
    forEachSpan(span -> services.add(span.serviceName()));
    return List.copyOf(services);
  }

  @Override
  public synchronized List<Operation> operations(String service) {
    checkOpen();
    TreeSet<Operation> operations = new TreeSet<>();
    forEachSpan(
        span -> {
          if (span.serviceName().equals(service)) {
            operations.add(new Operation(span.name(), span.kind()));
          }
        });
    return List.copyOf(operations);
  }

  @Override
  public synchronized List<DependencyLink> dependencies(
      long startEpochMillis, long endEpochMillis) {
    checkOpen();
    long from = saturatedNanos(startEpochMillis);
    long to = saturatedNanos(endEpochMillis) + 999_999;
    Map<String, long[]> counts = new TreeMap<>();
    for (Map<Long, Span> trace : traces.values()) {
      for (Span child : trace.values()) {
        if (child.isRoot() || child.startEpochNanos() < from || child.startEpochNanos() > to) {
          continue;
        }
        Span parent = trace.get(child.parentSpanId());
        if (parent == null || parent.serviceName().equals(child.serviceName())) continue;
        long[] c =
            counts.computeIfAbsent(
                parent.serviceName() + '\0' + child.serviceName(), k -> new long[2]);
        c[0]++;
        if (child.status().code() == StatusCode.ERROR) c[1]++;
      }
    }
    List<DependencyLink> links = new ArrayList<>();
    counts.forEach(
        (key, c) -> {
          int sep = key.indexOf('\0');
          links.add(new DependencyLink(key.substring(0, sep), key.substring(sep + 1), c[0], c[1]));
        });
    return links;
  }

  @Override
  public synchronized void writeIntegrity(List<Finding> findings, List<EdgeStats> edges) {
    checkOpen();
    this.findings.addAll(findings);
    for (EdgeStats e : edges) {
      edgeStats.merge(List.of(e.edge(), e.bucketStartEpochNanos()), e, EdgeStats::plus);
    }
  }

  @Override
  public synchronized List<Finding> findings(FindingQuery query) {
    checkOpen();
    List<Finding> result = new ArrayList<>();
    for (Finding f : findings) {
      if (query.test(f)) result.add(f);
    }
    result.sort(NEWEST_FINDING_FIRST);
    return result.size() <= query.limit()
        ? result
        : new ArrayList<>(result.subList(0, query.limit()));
  }

  @Override
  public synchronized Map<TraceId, Integer> findingCounts(Collection<TraceId> traceIds) {
    checkOpen();
    Map<String, TraceId> wanted = new HashMap<>();
    for (TraceId id : traceIds) wanted.put(id.toHex(), id);
    Map<TraceId, Integer> counts = new HashMap<>();
    for (Finding f : findings) {
      List<String> ids = f.traceIds();
      for (int i = 0; i < ids.size(); i++) {
        TraceId id = wanted.get(ids.get(i));
        // a finding naming one trace twice (both sides of a hop) counts once for it
        if (id != null && ids.indexOf(ids.get(i)) == i) counts.merge(id, 1, Integer::sum);
      }
    }
    return counts;
  }

  @Override
  public synchronized List<EdgeStats> edgeStats(long startEpochNanos, long endEpochNanos) {
    checkOpen();
    List<EdgeStats> result = new ArrayList<>();
    for (EdgeStats e : edgeStats.values()) {
      long bucket = e.bucketStartEpochNanos();
      if (bucket >= startEpochNanos && bucket <= endEpochNanos) result.add(e);
    }
    result.sort(EDGE_ORDER);
    return result;
  }

  @Override
  public synchronized long deleteOlderThan(Instant cutoff) {
    checkOpen();
    long cutoffNanos = saturatedNanos(cutoff.toEpochMilli()) + cutoff.getNano() % 1_000_000;
    findings.removeIf(f -> f.timeEpochNanos() < cutoffNanos);
    edgeStats.values().removeIf(e -> e.bucketStartEpochNanos() < cutoffNanos);
    long deleted = 0;
    for (Iterator<Map<Long, Span>> traceIt = traces.values().iterator(); traceIt.hasNext(); ) {
      Map<Long, Span> trace = traceIt.next();
      for (Iterator<Span> it = trace.values().iterator(); it.hasNext(); ) {
        Span span = it.next();
        if (span.startEpochNanos() < cutoffNanos) {
          it.remove();
          bytes -= estimateBytes(span);
          deleted++;
        }
      }
      if (trace.isEmpty()) traceIt.remove();
    }
    return deleted;
  }

  @Override
  public synchronized long deleteOldestUntil(long maxBytes) {
    checkOpen();
    if (bytes <= maxBytes) return 0;
    List<Span> all = new ArrayList<>();
    forEachSpan(all::add);
    all.sort(BY_START);
    long deleted = 0;
    for (int i = 0; i < all.size() && bytes > maxBytes; i++) {
      Span span = all.get(i);
      Map<Long, Span> trace = traces.get(span.traceId());
      trace.remove(span.spanId());
      if (trace.isEmpty()) traces.remove(span.traceId());
      bytes -= estimateBytes(span);
      deleted++;
    }
    return deleted;
  }

  @Override
  public synchronized long storageBytes() {
    return bytes;
  }

  @Override
  public synchronized void close() {
    closed = true;
    traces.clear();
    findings.clear();
    edgeStats.clear();
    bytes = 0;
  }

  private static int compareEdges(Edge a, Edge b) {
    int c = a.from().compareTo(b.from());
    if (c == 0) c = a.to().compareTo(b.to());
    if (c == 0) c = a.transport().wireName().compareTo(b.transport().wireName());
    if (c == 0) c = a.destination().compareTo(b.destination());
    return c;
  }

  private void forEachSpan(java.util.function.Consumer<Span> action) {
    for (Map<Long, Span> trace : traces.values()) trace.values().forEach(action);
  }

  private void checkOpen() {
    if (closed) throw new StorageException("store is closed");
  }

  private static long saturatedNanos(long epochMillis) {
    if (epochMillis <= 0) return 0;
    return epochMillis > Long.MAX_VALUE / 1_000_000
        ? Long.MAX_VALUE - 999_999
        : epochMillis * 1_000_000;
  }

  /** A rough heap estimate, stable for a given span, so retention by budget is deterministic. */
  static long estimateBytes(Span span) {
    long n = 120 + 2L * span.name().length() + 2L * span.traceState().length();
    n += estimateBytes(span.attributes());
    for (Event e : span.events()) n += 40 + 2L * e.name().length() + estimateBytes(e.attributes());
    for (Link l : span.links()) n += 64 + estimateBytes(l.attributes());
    return n;
  }

  private static long estimateBytes(Attributes attributes) {
    long n = 0;
    for (Attribute a : attributes.asList())
      n += 32 + 2L * a.key().length() + 2L * a.value().asString().length();
    return n;
  }
}
