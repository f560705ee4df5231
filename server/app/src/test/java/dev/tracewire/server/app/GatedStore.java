package dev.tracewire.server.app;

import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.DependencyLink;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.InMemorySpanStore;
import dev.tracewire.server.storage.Operation;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.TraceQuery;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory store behind a gate: writes wait until {@link #open()}, as a slow disk would, and
 * can be made to fail. Lets a test fill the ingest queue, or break storage, deterministically.
 */
final class GatedStore implements SpanStore {
  final InMemorySpanStore delegate = InMemorySpanStore.create();
  private final CountDownLatch gate = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicInteger failures =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger integrityFailures =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The next {@code n} writes fail as a full disk would. */
  void failNext(int n) {
    failures.set(n);
  }

  void open() {
    gate.countDown();
  }

  @Override
  public void write(List<Span> spans) {
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new dev.tracewire.server.storage.StorageException("disk full (test)");
    }
    delegate.write(spans);
  }

  @Override
  public List<Span> trace(TraceId traceId) {
    return delegate.trace(traceId);
  }

  @Override
  public List<TraceId> search(TraceQuery query) {
    return delegate.search(query);
  }

  @Override
  public List<String> services() {
    return delegate.services();
  }

  @Override
  public List<Operation> operations(String service) {
    return delegate.operations(service);
  }

  @Override
  public List<DependencyLink> dependencies(long startEpochMillis, long endEpochMillis) {
    return delegate.dependencies(startEpochMillis, endEpochMillis);
  }

  /** The next {@code n} integrity writes fail. */
  void failIntegrityNext(int n) {
    integrityFailures.set(n);
  }

  @Override
  public void writeIntegrity(List<Finding> findings, List<EdgeStats> edges) {
    if (integrityFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new dev.tracewire.server.storage.StorageException("disk full (test)");
    }
    delegate.writeIntegrity(findings, edges);
  }

  @Override
  public List<Finding> findings(FindingQuery query) {
    return delegate.findings(query);
  }

  @Override
  public List<EdgeStats> edgeStats(long startEpochNanos, long endEpochNanos) {
    return delegate.edgeStats(startEpochNanos, endEpochNanos);
  }

  @Override
  public long deleteOlderThan(Instant cutoff) {
    return delegate.deleteOlderThan(cutoff);
  }

  @Override
  public long deleteOldestUntil(long maxBytes) {
    return delegate.deleteOldestUntil(maxBytes);
  }

  @Override
  public long storageBytes() {
    return delegate.storageBytes();
  }

  @Override
  public void close() {
    open();
    delegate.close();
  }
}
