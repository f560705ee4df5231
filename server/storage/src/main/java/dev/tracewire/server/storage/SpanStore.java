package dev.tracewire.server.storage;

import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the server keeps spans. Every backend passes the same suite ({@code SpanStoreSuite} in
 * storage-tck). Queries are value objects, never SQL, so a Kafka + Cassandra backend can implement
 * the same interface. Implementations are thread-safe.
 *
 * <pre>{@code
 * try (SpanStore store = InMemorySpanStore.create()) {
 *   store.write(spans); // durable once this returns
 *   List<Span> trace = store.trace(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"));
 * }
 * }</pre>
 */
public interface SpanStore extends AutoCloseable {

  /**
   * Stores {@code spans} and returns only once they are durable; throws {@link StorageException}
   * otherwise, in which case none, some or all may have been stored (a retry is safe). Idempotent
   * on (traceId, spanId): writing a span again keeps one copy, so exporter retries never duplicate.
   */
  void write(List<Span> spans);

  /** The spans of one trace ordered by start time, or an empty list when unknown. */
  List<Span> trace(TraceId traceId);

  /**
   * Ids of traces with at least one span matching every criterion of {@code query} at once, newest
   * first (by the latest start time of a matching span; ties by {@link TraceId} order), at most
   * {@link TraceQuery#limit()}.
   */
  List<TraceId> search(TraceQuery query);

  /**
   * The traces {@link #search} finds, each as {@link #trace} returns it. Backends override this
   * when they can fetch many traces in one go.
   */
  default List<List<Span>> searchTraces(TraceQuery query) {
    List<TraceId> ids = search(query);
    List<List<Span>> traces = new ArrayList<>(ids.size());
    for (TraceId id : ids) {
      List<Span> trace = trace(id);
      if (!trace.isEmpty()) traces.add(trace);
    }
    return traces;
  }

  /** Names of all services with stored spans, sorted. */
  List<String> services();

  /** Distinct (span name, kind) pairs of {@code service}, sorted by name then kind. */
  List<Operation> operations(String service);

  /**
   * Caller → callee service edges from parent/child spans in different services, for child spans
   * starting in {@code [startEpochMillis, endEpochMillis]}; sorted by parent then child.
   */
  List<DependencyLink> dependencies(long startEpochMillis, long endEpochMillis);

  /**
   * Stores what the integrity analysis decided: findings and per-edge counts (one {@link EdgeStats}
   * per edge and time bucket; counts for the same edge and bucket add up across calls). Returns
   * once durable; throws {@link StorageException} otherwise. Not idempotent: the analysis decides
   * each hop once.
   */
  void writeIntegrity(List<Finding> findings, List<EdgeStats> edges);

  /** Findings matching {@code query}, newest first (ties by kind), at most its limit. */
  List<Finding> findings(FindingQuery query);

  /**
   * How many stored findings concern each of {@code traceIds} (a finding counts once for every
   * trace among its {@link Finding#traceIds()}), in one go: a search page shows a count per trace.
   * Traces without findings are absent from the map. Backends override this when they can count for
   * many traces in one query.
   */
  default Map<TraceId, Integer> findingCounts(Collection<TraceId> traceIds) {
    Map<TraceId, Integer> counts = new HashMap<>();
    for (TraceId id : traceIds) {
      int n =
          findings(FindingQuery.newBuilder().traceId(id).limit(Integer.MAX_VALUE).build()).size();
      if (n > 0) counts.put(id, n);
    }
    return counts;
  }

  /**
   * Edge counts in buckets starting in {@code [startEpochNanos, endEpochNanos]}: one {@link
   * EdgeStats} per edge and bucket, summed over every write, ordered by bucket, then from, to,
   * transport and destination.
   */
  List<EdgeStats> edgeStats(long startEpochNanos, long endEpochNanos);

  /**
   * Deletes spans that started before {@code cutoff}, and findings and edge buckets before it;
   * returns how many spans were deleted.
   */
  long deleteOlderThan(Instant cutoff);

  /**
   * Deletes the oldest spans (by start time) until {@link #storageBytes()} is at most {@code
   * maxBytes}; returns how many were deleted. Backends that allocate storage in blocks may delete a
   * little more than the strict minimum.
   */
  long deleteOldestUntil(long maxBytes);

  /** Bytes this store currently occupies (on disk for persistent backends; estimated in memory). */
  long storageBytes();

  /** Releases resources; writes after close fail. */
  @Override
  void close();
}
