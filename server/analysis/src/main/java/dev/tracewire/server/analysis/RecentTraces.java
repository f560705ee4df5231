package dev.tracewire.server.analysis;

import dev.tracewire.server.model.TraceId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slim copies of the spans of recently closed traces, bounded by trace count: a late fragment's
 * orphans and a consumer's links find their parents here. One map entry per trace, not per span,
 * because this is written for every span analysed.
 */
final class RecentTraces {
  private final LinkedHashMap<TraceId, SpanFacts[]> traces;

  RecentTraces(int maxTraces) {
    traces =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<TraceId, SpanFacts[]> eldest) {
            return size() > maxTraces;
          }
        };
  }

  void add(TraceId traceId, List<SpanFacts> spans) {
    SpanFacts[] slim = new SpanFacts[spans.size()];
    for (int i = 0; i < slim.length; i++) slim[i] = spans.get(i).slim();
    SpanFacts[] prior = traces.put(traceId, slim);
    if (prior != null) {
      SpanFacts[] both = new SpanFacts[prior.length + slim.length];
      System.arraycopy(prior, 0, both, 0, prior.length);
      System.arraycopy(slim, 0, both, prior.length, slim.length);
      traces.put(traceId, both);
    }
  }

  SpanFacts find(TraceId traceId, long spanId) {
    SpanFacts[] spans = traces.get(traceId);
    if (spans == null) return null;
    for (SpanFacts f : spans) {
      if (f.span.spanId() == spanId) return f;
    }
    return null;
  }
}
