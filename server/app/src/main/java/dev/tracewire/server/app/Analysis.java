package dev.tracewire.server.app;

import dev.tracewire.server.analysis.AnalysisResult;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.TraceIntegrity;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.storage.SpanStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of trace integrity: spans reach the (pure) {@link TraceIntegrity} once they are
 * durable, a timer closes settled traces with the server's clock, and what the analysis decided is
 * stored next to the spans. The analysis is not thread-safe, so every call into it holds this
 * object's lock; storing happens outside it, so ingest never waits for an integrity write.
 */
final class Analysis implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Analysis.class);

  /** Findings held for a retry after a failed write, at most; beyond it they are dropped. */
  static final int MAX_UNSTORED_FINDINGS = 100_000;

  private final TraceIntegrity integrity;
  private final SpanStore store;
  private final ServerMetrics metrics;
  private final LongSupplier clock;
  private final ScheduledExecutorService timer;
  private final Object storeLock = new Object();
  private long lastNow = Long.MIN_VALUE; // guarded by this
  // guarded by storeLock: decided but not yet stored (a write failed)
  private final List<Finding> unstoredFindings = new ArrayList<>();
  private final List<EdgeStats> unstoredEdges = new ArrayList<>();

  Analysis(
      TraceIntegrity integrity,
      SpanStore store,
      ServerMetrics metrics,
      LongSupplier epochNanosClock,
      Duration pollInterval) {
    this.integrity = integrity;
    this.store = store;
    this.metrics = metrics;
    this.clock = epochNanosClock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tracewire-analysis");
              t.setDaemon(true);
              return t;
            });
    long every = pollInterval.toMillis();
    timer.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
  }

  /** Called by the pipeline once {@code spans} are durable, before their senders are answered. */
  void add(List<Span> spans) {
    try {
      synchronized (this) {
        integrity.add(spans, now());
      }
    } catch (RuntimeException e) { // the analysis must never cost a stored span its ack
      logger.warn("integrity analysis failed to take {} spans", spans.size(), e);
    }
  }

  /** Closes traces settled by now and stores what was decided. */
  void poll() {
    try {
      AnalysisResult result;
      synchronized (this) {
        result = integrity.poll(now());
        metrics.analysisGauges(integrity.openTraces(), integrity.openSpans());
      }
      store(result);
    } catch (RuntimeException e) { // a timer task that throws is never run again
      logger.warn("integrity analysis failed; will retry", e);
    }
  }

  /** Closes every open trace now, decides every pending hop and stores the result. */
  AnalysisResult flush() {
    AnalysisResult result;
    synchronized (this) {
      result = integrity.flush(now());
      metrics.analysisGauges(integrity.openTraces(), integrity.openSpans());
    }
    store(result);
    return result;
  }

  private void store(AnalysisResult result) {
    synchronized (storeLock) {
      if (result.findings().isEmpty()
          && result.edges().isEmpty()
          && unstoredFindings.isEmpty()
          && unstoredEdges.isEmpty()) {
        return;
      }
      metrics.findings(result.findings());
      List<Finding> findings = new ArrayList<>(unstoredFindings);
      findings.addAll(result.findings());
      List<EdgeStats> edges = new ArrayList<>(unstoredEdges);
      edges.addAll(result.edges());
      unstoredFindings.clear();
      unstoredEdges.clear();
      try {
        store.writeIntegrity(findings, edges);
      } catch (RuntimeException e) {
        if (findings.size() > MAX_UNSTORED_FINDINGS) {
          metrics.findingsDropped(findings.size());
          logger.warn("storing {} findings failed; dropped them", findings.size(), e);
          return;
        }
        logger.warn("storing {} findings failed; will retry", findings.size(), e);
        unstoredFindings.addAll(findings);
        unstoredEdges.addAll(edges);
      }
    }
  }

  // the analysis needs non-decreasing times; a wall clock stepping back must not break it
  private long now() {
    long now = clock.getAsLong();
    if (now > lastNow) lastNow = now;
    return lastNow;
  }

  /** Stops the timer and decides what is still open, so a clean shutdown loses no hop. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      flush();
    } catch (RuntimeException e) {
      logger.warn("final integrity flush failed", e);
    }
  }
}
