package dev.tracewire.server.app;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.storage.SpanStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded path from decoded request to durable storage. {@link #offer} either takes a whole
 * request or refuses it at once (the caller answers 429 / RESOURCE_EXHAUSTED); a taken request's
 * future completes only after {@link SpanStore#write} returned for its spans, so nothing is
 * acknowledged before it is durable and nothing accepted is dropped.
 *
 * <p>A few writer threads drain the queue, each merging waiting requests into one write. They call
 * the store concurrently: a store does the CPU work of a write (encoding) on the calling thread and
 * merges concurrent writes into one commit, so one writer's encoding overlaps another's commit
 * while the store's transaction rate stays flat as load rises.
 */
final class Pipeline implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

  private final SpanStore store;
  private final int capacity;
  private final int maxBatchSpans;
  private final Semaphore permits;
  private final LinkedBlockingDeque<Request> queue = new LinkedBlockingDeque<>();
  private final List<Thread> writers = new ArrayList<>();
  private final ServerMetrics metrics;
  private final Consumer<List<Span>> onDurable;
  private volatile boolean closed;

  private static final class Request {
    final List<Span> spans;
    final int permits;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Request(List<Span> spans, int permits) {
      this.spans = spans;
      this.permits = permits;
    }
  }

  Pipeline(SpanStore store, int capacitySpans, int maxBatchSpans, ServerMetrics metrics) {
    this(store, capacitySpans, maxBatchSpans, metrics, spans -> {});
  }

  /**
   * As above; {@code onDurable} sees every batch once it is stored, before its senders are answered
   * (so a sender that got its ack can rely on the analysis having its spans).
   */
  Pipeline(
      SpanStore store,
      int capacitySpans,
      int maxBatchSpans,
      ServerMetrics metrics,
      Consumer<List<Span>> onDurable) {
    if (capacitySpans <= 0) {
      throw new IllegalArgumentException("queueCapacity: " + capacitySpans + " (expected: > 0)");
    }
    this.store = store;
    this.capacity = capacitySpans;
    this.maxBatchSpans = Math.max(1, maxBatchSpans);
    this.permits = new Semaphore(capacitySpans);
    this.metrics = metrics;
    this.onDurable = onDurable;
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < threads; i++) {
      Thread writer = new Thread(this::drain, "tracewire-writer-" + i);
      writer.setDaemon(true);
      writer.start();
      writers.add(writer);
    }
  }

  /**
   * Queues {@code spans} for storage, returning a future completed once they are durable (or failed
   * when the store failed), or {@code null} when the queue is full.
   */
  CompletableFuture<Void> offer(List<Span> spans) {
    if (closed) return null;
    if (spans.isEmpty()) return CompletableFuture.completedFuture(null);
    // a request larger than the whole queue is taken only when the queue is empty
    int need = Math.min(spans.size(), capacity);
    if (!permits.tryAcquire(need)) return null;
    Request request = new Request(spans, need);
    queue.add(request);
    return request.done;
  }

  /** Spans waiting for or in a write. */
  int depth() {
    return capacity - permits.availablePermits();
  }

  int capacity() {
    return capacity;
  }

  private void drain() {
    List<Request> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      Request first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (closed) break;
        continue;
      }
      if (first == null) continue;
      batch.add(first);
      int spans = first.spans.size();
      Request next;
      while (spans < maxBatchSpans && (next = queue.pollFirst()) != null) {
        if (spans + next.spans.size() > maxBatchSpans) {
          queue.offerFirst(next); // another writer may take it meanwhile: order is not promised
          break;
        }
        batch.add(next);
        spans += next.spans.size();
      }
      write(batch, spans);
      batch.clear();
    }
  }

  private void write(List<Request> batch, int size) {
    List<Span> spans;
    if (batch.size() == 1) {
      spans = batch.get(0).spans;
    } else {
      spans = new ArrayList<>(size);
      for (Request r : batch) spans.addAll(r.spans);
    }
    Throwable failure = null;
    try {
      store.write(spans);
      metrics.accepted(size);
      onDurable.accept(spans);
    } catch (RuntimeException | Error e) { // the writer must survive, or every later request hangs
      failure = e;
      metrics.storageFailed(size);
      logger.warn("storing {} spans failed; senders will be told to retry", size, e);
    }
    for (Request r : batch) {
      permits.release(r.permits);
      if (failure == null) {
        r.done.complete(null);
      } else {
        r.done.completeExceptionally(failure);
      }
    }
  }

  /** Stops taking requests and finishes writing those already taken. */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + 30_000_000_000L;
    try {
      for (Thread writer : writers) {
        writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
