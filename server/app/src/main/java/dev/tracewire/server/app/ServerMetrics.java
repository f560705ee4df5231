package dev.tracewire.server.app;

import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's counters, rendered in the Prometheus text format on {@code GET /metrics}. Written by
 * hand: a few counters do not justify a metrics library on the ingest path.
 */
final class ServerMetrics {
  private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
  private final LongAdder accepted = new LongAdder();
  private final Map<String, LongAdder> rejectedSpans = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> rejectedRequests = new ConcurrentHashMap<>();
  private final LongAdder storageFailures = new LongAdder();
  private final LongAdder retentionDeleted = new LongAdder();
  private final Map<String, LongAdder> findings = new ConcurrentHashMap<>();
  private final LongAdder findingsDropped = new LongAdder();
  private volatile long openTraces;
  private volatile long openSpans;
  private volatile LongSupplier queueDepth = () -> 0;
  private volatile LongSupplier queueCapacity = () -> 0;
  private volatile LongSupplier storageBytes = () -> 0;

  ServerMetrics() {
    // every kind from the start, so a rate over a kind never seen is 0, not absent
    for (FindingKind k : FindingKind.values()) findings.put(k.wireName(), new LongAdder());
  }

  void findings(List<Finding> decided) {
    for (Finding f : decided) findings.get(f.kind().wireName()).increment();
  }

  void findingsDropped(int count) {
    findingsDropped.add(count);
  }

  void analysisGauges(long openTraces, long openSpans) {
    this.openTraces = openTraces;
    this.openSpans = openSpans;
  }

  void received(String format, int spans) {
    received.computeIfAbsent(format, k -> new LongAdder()).add(spans);
  }

  void accepted(int spans) {
    accepted.add(spans);
  }

  void rejectedSpans(String reason, int spans) {
    rejectedSpans.computeIfAbsent(reason, k -> new LongAdder()).add(spans);
  }

  void rejectedRequest(String reason) {
    rejectedRequests.computeIfAbsent(reason, k -> new LongAdder()).increment();
  }

  void storageFailed(int spans) {
    storageFailures.add(spans);
  }

  void retentionDeleted(long spans) {
    retentionDeleted.add(spans);
  }

  long acceptedCount() {
    return accepted.sum();
  }

  void gauges(LongSupplier queueDepth, LongSupplier queueCapacity, LongSupplier storageBytes) {
    this.queueDepth = queueDepth;
    this.queueCapacity = queueCapacity;
    this.storageBytes = storageBytes;
  }

  String render() {
    StringBuilder b = new StringBuilder(1024);
    counter(
        b, "tracewire_spans_received_total", "Spans decoded from requests.", "format", received);
    header(b, "tracewire_spans_accepted_total", "counter", "Spans stored durably.");
    b.append("tracewire_spans_accepted_total ").append(accepted.sum()).append('\n');
    counter(
        b,
        "tracewire_spans_rejected_total",
        "Spans rejected one by one (bad ids, times).",
        "reason",
        rejectedSpans);
    counter(
        b,
        "tracewire_requests_rejected_total",
        "Requests refused whole (malformed, too large, queue full, unauthorized).",
        "reason",
        rejectedRequests);
    header(b, "tracewire_spans_storage_failed_total", "counter", "Spans whose write failed.");
    b.append("tracewire_spans_storage_failed_total ").append(storageFailures.sum()).append('\n');
    header(b, "tracewire_queue_depth_spans", "gauge", "Spans waiting for or in a write.");
    b.append("tracewire_queue_depth_spans ").append(queueDepth.getAsLong()).append('\n');
    header(b, "tracewire_queue_capacity_spans", "gauge", "Spans the queue holds at most.");
    b.append("tracewire_queue_capacity_spans ").append(queueCapacity.getAsLong()).append('\n');
    header(b, "tracewire_storage_bytes", "gauge", "Bytes the span store occupies.");
    b.append("tracewire_storage_bytes ").append(storageBytes.getAsLong()).append('\n');
    header(b, "tracewire_retention_deleted_spans_total", "counter", "Spans deleted by retention.");
    b.append("tracewire_retention_deleted_spans_total ")
        .append(retentionDeleted.sum())
        .append('\n');
    counter(
        b,
        "tracewire_findings_total",
        "Trace integrity findings by kind (lost hops and informational).",
        "kind",
        findings);
    header(
        b,
        "tracewire_findings_dropped_total",
        "counter",
        "Findings lost because storing them kept failing.");
    b.append("tracewire_findings_dropped_total ").append(findingsDropped.sum()).append('\n');
    header(b, "tracewire_analysis_open_traces", "gauge", "Traces waiting to settle.");
    b.append("tracewire_analysis_open_traces ").append(openTraces).append('\n');
    header(b, "tracewire_analysis_open_spans", "gauge", "Spans held in traces waiting to settle.");
    b.append("tracewire_analysis_open_spans ").append(openSpans).append('\n');
    return b.toString();
  }

  private static void counter(
      StringBuilder b, String name, String help, String label, Map<String, LongAdder> values) {
    header(b, name, "counter", help);
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
      b.append(name)
          .append('{')
          .append(label)
          .append("=\"")
          .append(escape(e.getKey()))
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
  }

  private static void header(StringBuilder b, String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
