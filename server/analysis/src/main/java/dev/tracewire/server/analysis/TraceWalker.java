package dev.tracewire.server.analysis;

import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks one closed trace: the hops it holds whole (an entry whose nearest non-proxy ancestor is in
 * another service, or an entry linked to an exit), and the sides it cannot pair on its own.
 */
final class TraceWalker {
  /** A hop whose entry's parent (through proxies) or link is the exit. */
  record Intact(SpanFacts exit, SpanFacts entry, boolean viaLink, List<SpanFacts> proxies) {}

  /** A link from an entry to a span in another trace (or not in this fragment). */
  record CrossLink(SpanFacts entry, TraceId traceId, long spanId) {}

  /** What one walk found. */
  static final class Walk {
    long closedAt;
    TraceId traceId;
    final List<SpanFacts> all = new ArrayList<>();
    final List<Intact> intact = new ArrayList<>();
    final List<Side> exits = new ArrayList<>();
    final List<Side> entries = new ArrayList<>();
    final List<CrossLink> links = new ArrayList<>();
  }

  /** Proxies in one hop; more means a cycle or a mesh gone wrong. */
  static final int MAX_PROXIES = 16;

  private final AssembledTrace trace;
  private final Map<Long, SpanFacts> byId;
  // Zipkin's shared spans: a server span reusing its client's id
  private final Map<Long, SpanFacts> sharedById = new HashMap<>(2);
  private final Map<Long, List<SpanFacts>> children;
  private final Walk walk = new Walk();

  private TraceWalker(AssembledTrace trace) {
    this.trace = trace;
    int n = trace.spans().size();
    byId = new HashMap<>(n * 2);
    children = new HashMap<>(n * 2);
  }

  static Walk walk(AssembledTrace trace, long closedAt, long[] seq) {
    return new TraceWalker(trace).run(closedAt, seq);
  }

  private Walk run(long closedAt, long[] seq) {
    walk.closedAt = closedAt;
    walk.traceId = trace.traceId();
    boolean hasRoot = false;
    for (Span s : trace.spans()) {
      SpanFacts f = SpanFacts.of(s);
      walk.all.add(f);
      SpanFacts prior = byId.putIfAbsent(s.spanId(), f);
      if (prior != null) {
        // keep the client side primary; the shared server side is found through sharedById
        if (isShared(f) || prior.span.kind() == SpanKind.CLIENT) {
          sharedById.put(s.spanId(), f);
        } else {
          byId.put(s.spanId(), f);
          sharedById.put(s.spanId(), prior);
        }
      }
      if (s.isRoot()) hasRoot = true;
    }
    for (SpanFacts f : walk.all) {
      if (f.span.isRoot()) continue;
      if (f == sharedById.get(f.span.spanId()) && isShared(f)) continue; // joined below
      children.computeIfAbsent(f.span.parentSpanId(), k -> new ArrayList<>(2)).add(f);
    }
    boolean linked = false;
    for (SpanFacts f : walk.all) {
      if (!f.span.links().isEmpty()) linked = true;
    }
    boolean[] exitPaired = new boolean[walk.all.size()];
    Map<SpanFacts, Integer> position = new HashMap<>(walk.all.size() * 2);
    for (int i = 0; i < walk.all.size(); i++) position.put(walk.all.get(i), i);

    for (SpanFacts f : walk.all) {
      if (!f.isEntry()) continue;
      for (Link l : f.span.links()) {
        SpanFacts target = l.traceId().equals(trace.traceId()) ? byId.get(l.spanId()) : null;
        if (target != null && target.isExit()) {
          walk.intact.add(new Intact(target, f, true, List.of()));
          exitPaired[position.get(target)] = true;
        } else if (target == null && l.spanId() != SpanId.NONE) {
          walk.links.add(new CrossLink(f, l.traceId(), l.spanId()));
        }
      }
      SpanFacts exitOfShared = sharedExit(f);
      if (exitOfShared != null) {
        walk.intact.add(new Intact(exitOfShared, f, false, List.of()));
        exitPaired[position.get(exitOfShared)] = true;
        continue;
      }
      List<SpanFacts> proxies = new ArrayList<>(0);
      SpanFacts top = f;
      SpanFacts p = parent(f);
      // bounded: ids come from the wire, and a cycle must not hang the analysis
      for (int depth = 0; p != null && p.proxy && depth < MAX_PROXIES; depth++) {
        proxies.add(p);
        top = p;
        p = parent(p);
      }
      if (p != null) {
        if (p.isExit() || !p.service.equals(f.service)) {
          walk.intact.add(new Intact(p, f, false, proxies));
          exitPaired[position.get(p)] = true;
        }
        continue;
      }
      if (!f.span.links().isEmpty() && top.span.isRoot()) continue; // batch or trust boundary
      // a consumer's receive span starting a trace whose process spans link to the producers
      if (f.span.kind() == SpanKind.CONSUMER && top.span.isRoot() && linked) continue;
      Side side = new Side(f, trace.traceId(), closedAt, seq[0]++);
      side.traceHasRoot = hasRoot;
      if (top.span.isRoot()) {
        side.lone = Side.Lone.ROOT;
        if (top != f) side.proxyAbove = top.service + " " + top.span.name();
      } else {
        side.lone = Side.Lone.ORPHAN;
        side.missingParent = top.span.parentSpanId();
        side.enclosingService = enclosingService(f);
      }
      if (top != f) f.requestIds = merge(f.requestIds, top.requestIds);
      walk.entries.add(side);
    }
    // a non-entry orphan lost an in-process parent: its own service failed to report it
    for (SpanFacts f : walk.all) {
      if (f.isEntry() || f.proxy || f.span.isRoot()) continue;
      if (parent(f) != null) continue;
      Side side = new Side(f, trace.traceId(), closedAt, seq[0]++);
      side.lone = Side.Lone.ORPHAN;
      side.missingParent = f.span.parentSpanId();
      side.traceHasRoot = hasRoot;
      side.enclosingService = f.service;
      walk.entries.add(side);
    }
    for (int i = 0; i < walk.all.size(); i++) {
      SpanFacts x = walk.all.get(i);
      if (!x.isExit() || x.leaf) continue;
      boolean reached = exitPaired[i] || reachesOtherService(x, 0);
      // a message may have more consumers in other traces: producers wait even when consumed here
      boolean producer = x.span.kind() == SpanKind.PRODUCER || x.transport.isMessaging();
      if (reached && !producer) continue;
      Side side = new Side(x, trace.traceId(), closedAt, seq[0]++);
      side.satisfied = reached;
      if (reached) side.consumedBy = servicesReached(x, new java.util.HashSet<>(2), 0);
      collectBelow(x, side);
      side.retryOfPaired = siblingPaired(x, exitPaired, position);
      walk.exits.add(side);
    }
    return walk;
  }

  private SpanFacts parent(SpanFacts f) {
    long id = f.span.parentSpanId();
    if (id == SpanId.NONE) return null;
    SpanFacts p = byId.get(id);
    SpanFacts shared = sharedById.get(id);
    if (shared != null && shared != f && shared.service.equals(f.service)) return shared;
    return p == f ? null : p;
  }

  private SpanFacts sharedExit(SpanFacts entry) {
    SpanFacts shared = sharedById.get(entry.span.spanId());
    if (shared == null) return null;
    SpanFacts primary = byId.get(entry.span.spanId());
    SpanFacts other = primary == entry ? shared : primary;
    return other != null && other.span.kind() == SpanKind.CLIENT ? other : null;
  }

  private static boolean isShared(SpanFacts f) {
    return f.span.kind() == SpanKind.SERVER
        && "true".equals(f.span.attributes().getString("zipkin.shared"));
  }

  /** A child (through proxies) in another service: the call arrived, whatever its kind. */
  private boolean reachesOtherService(SpanFacts x, int depth) {
    if (depth > MAX_PROXIES) return false;
    if (sharedById.containsKey(x.span.spanId())) return true;
    List<SpanFacts> kids = children.get(x.span.spanId());
    if (kids == null) return false;
    for (SpanFacts k : kids) {
      if (k.proxy) {
        if (reachesOtherService(k, depth + 1)) return true;
      } else if (!k.service.equals(x.service)) {
        return true;
      }
    }
    return false;
  }

  /** Services of the spans (through proxies) and linked consumers an exit reached here. */
  private java.util.Set<String> servicesReached(SpanFacts x, java.util.Set<String> out, int depth) {
    if (depth > MAX_PROXIES) return out;
    List<SpanFacts> kids = children.get(x.span.spanId());
    if (kids != null) {
      for (SpanFacts k : kids) {
        if (k.proxy) servicesReached(k, out, depth + 1);
        else if (!k.service.equals(x.service)) out.add(k.service);
      }
    }
    for (Intact h : walk.intact) {
      if (h.viaLink() && h.exit() == x) out.add(h.entry().service);
    }
    return out;
  }

  /** Proxy spans below an exit: they prove the context reached the mesh and carry request ids. */
  private void collectBelow(SpanFacts x, Side side) {
    List<String> ids = x.requestIds;
    if (ids.isEmpty() && x.injected != null && x.injected.contains("xrequestid")) {
      ids = inboundRequestIds(x); // forwarded from the request this service is serving
    }
    List<SpanFacts> kids = children.get(x.span.spanId());
    if (kids != null) {
      for (SpanFacts k : kids) {
        if (!k.proxy) continue;
        if (side.proxyBelow == null) side.proxyBelow = k.service + " " + k.span.name();
        if (k.span.kind() == SpanKind.SERVER) side.calleeProxyBelow = k.service;
        ids = merge(ids, k.requestIds);
        List<SpanFacts> grand = children.get(k.span.spanId());
        if (grand == null) continue;
        for (SpanFacts g : grand) {
          if (!g.proxy) continue;
          ids = merge(ids, g.requestIds);
          if (g.span.kind() == SpanKind.SERVER) side.calleeProxyBelow = g.service;
        }
      }
    }
    side.requestIds = ids;
  }

  /** The x-request-id of the nearest entry span above the exit in its own service. */
  private List<String> inboundRequestIds(SpanFacts x) {
    SpanFacts p = parent(x);
    for (int depth = 0; p != null && depth < 64; depth++) {
      if (!p.service.equals(x.service)) break;
      if (p.isEntry()) return p.requestIds;
      p = parent(p);
    }
    return List.of();
  }

  private boolean siblingPaired(
      SpanFacts x, boolean[] exitPaired, Map<SpanFacts, Integer> position) {
    if (x.span.isRoot()) return false;
    List<SpanFacts> siblings = children.get(x.span.parentSpanId());
    if (siblings == null) return false;
    for (SpanFacts s : siblings) {
      if (s != x
          && s.isExit()
          && s.span.name().equals(x.span.name())
          && Pairer.peerName(s).equals(Pairer.peerName(x))
          && java.util.Objects.equals(s.path, x.path)
          && exitPaired[position.get(s)]) {
        return true; // the same call to the same peer again: a retry
      }
    }
    return false;
  }

  /** The latest-starting span of another service whose window holds the orphan's start. */
  private String enclosingService(SpanFacts orphan) {
    SpanFacts best = null;
    long t = orphan.span.startEpochNanos();
    for (SpanFacts f : walk.all) {
      if (f.service.equals(orphan.service) || f.proxy) continue;
      if (f.span.startEpochNanos() <= t
          && f.span.endEpochNanos() >= t
          && (best == null || f.span.startEpochNanos() > best.span.startEpochNanos())) {
        best = f;
      }
    }
    return best == null ? null : best.service;
  }

  static List<String> merge(List<String> a, List<String> b) {
    if (b.isEmpty()) return a;
    if (a.isEmpty()) return b;
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }
}
