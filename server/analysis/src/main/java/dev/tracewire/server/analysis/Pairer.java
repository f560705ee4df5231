package dev.tracewire.server.analysis;

import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the per-trace walk, then pairs the sides of hops that broke across traces: exactly (remote
 * parent, parent id, x-request-id, message id, Kafka partition and offset), then by peer, route,
 * method and time. Sides wait in pools until their pairing window ends; then they are decided
 * alone.
 */
final class Pairer {
  record SpanKey(TraceId traceId, long spanId) {}

  private final IntegrityAnalyzer config;
  private final long[] seq = {0};

  private final ArrayDeque<Side> exitQueue = new ArrayDeque<>();
  private final ArrayDeque<Side> entryQueue = new ArrayDeque<>();
  private int exitsPending;
  private int entriesPending;

  private final Map<SpanKey, Side> exitsByKey = new HashMap<>();
  private final Map<Object, Set<Side>> exitIndex = new HashMap<>();
  private final Map<Object, Set<Side>> entryIndex = new HashMap<>();
  private final Map<SpanKey, List<Side>> orphansByParent = new HashMap<>();
  private final Map<SpanKey, List<TraceWalker.CrossLink>> linksAwaiting = new HashMap<>();
  private final ArrayDeque<Object[]> linkQueue = new ArrayDeque<>();

  /** Spans of recently closed traces: late fragments and links find their parents here. */
  private final RecentTraces recent;

  /** Callee service -> entry name -> callers seen on intact hops. */
  private final Map<String, Map<String, Set<String>>> callersOf = new HashMap<>();

  /** Transport + destination -> producer services seen on intact messaging hops. */
  private final Map<String, Set<String>> producersOf = new HashMap<>();

  /** Caller service -> peer key -> callee service seen on intact hops. */
  private final Map<String, Map<String, String>> calleeOfPeer = new HashMap<>();

  private List<Finding> findings;
  private EdgeCounter edges;

  Pairer(IntegrityAnalyzer config) {
    this.config = config;
    this.recent = new RecentTraces(Math.max(1024, config.maxPending / 10));
  }

  int pending() {
    return exitsPending + entriesPending;
  }

  AnalysisResult analyze(List<AssembledTrace> closed, long now, boolean flush) {
    findings = new ArrayList<>();
    edges = new EdgeCounter(config.bucketNanos);
    Set<TraceId> traceIds = new HashSet<>();
    long spans = 0;
    List<TraceWalker.Walk> walks = new ArrayList<>(closed.size());
    for (AssembledTrace t : closed) {
      traceIds.add(t.traceId());
      spans += t.spans().size();
      walks.add(TraceWalker.walk(t, t.closedEpochNanos(), seq));
    }
    for (TraceWalker.Walk w : walks) inTrace(w);
    List<Side> newExits = new ArrayList<>();
    for (TraceWalker.Walk w : walks) {
      for (Side x : w.exits) {
        addExit(x);
        newExits.add(x);
      }
    }
    for (TraceWalker.Walk w : walks) {
      for (TraceWalker.CrossLink l : w.links) link(l, w);
    }
    for (TraceWalker.Walk w : walks) {
      for (Side e : w.entries) {
        if (e.done) continue;
        if (!pairExactly(e)) addEntry(e);
      }
    }
    for (Side x : newExits) {
      if (!x.done) pairExactlyFromExit(x);
    }
    expire(flush ? Long.MAX_VALUE : now, flush);
    findings.sort(Comparator.comparingLong(Finding::timeEpochNanos));
    AnalysisResult result = AnalysisResult.create(traceIds.size(), spans, findings, edges.drain());
    findings = null;
    edges = null;
    return result;
  }

  // ---- within one trace

  private void inTrace(TraceWalker.Walk w) {
    for (SpanFacts f : w.all) {
      List<Side> orphans = orphansByParent.remove(new SpanKey(f.span.traceId(), f.span.spanId()));
      if (orphans == null) continue;
      for (Side o : orphans) {
        if (o.done) continue;
        finish(o);
        if (o.facts.isEntry() && (f.isExit() || !f.service.equals(o.facts.service))) {
          intact(f, o.facts, List.of());
          w.exits.removeIf(x -> x.facts == f); // its entry came in an earlier fragment
        }
      }
    }
    for (Iterator<Side> it = w.entries.iterator(); it.hasNext(); ) {
      Side e = it.next();
      if (e.lone != Side.Lone.ORPHAN) continue;
      SpanFacts p = recent.find(e.traceId, e.missingParent);
      if (p == null) continue;
      it.remove(); // its parent came in an earlier fragment of the same trace
      if (e.facts.isEntry() && (p.isExit() || !p.service.equals(e.facts.service))) {
        intact(p, e.facts, List.of());
        Side waiting = exitsByKey.get(new SpanKey(e.traceId, p.span.spanId()));
        if (waiting != null) finish(waiting);
      }
    }
    recent.add(w.traceId, w.all);
    for (TraceWalker.Intact h : w.intact) intact(h.exit(), h.entry(), h.proxies());
  }

  private void intact(SpanFacts x, SpanFacts e, List<SpanFacts> proxies) {
    Edge edge = edge(x, e);
    long time = x.span.startEpochNanos();
    edges.intact(edge, time);
    learn(x, e);
    Finding skew = Verdict.clockSkew(x, e, config.clockSkewToleranceNanos);
    if (skew != null) emit(skew, edge, false);
    Finding conflict = Verdict.conflictOnIntact(x, e);
    if (conflict != null) emit(conflict, edge, false);
  }

  /** Who calls whom, by name: decides sampling splits when one side never reports. */
  private void learn(SpanFacts x, SpanFacts e) {
    Map<String, Set<String>> byName = callersOf.computeIfAbsent(e.service, k -> new HashMap<>());
    if (byName.size() < 10_000) {
      Set<String> callers = byName.get(e.span.name());
      if (callers == null) byName.put(e.span.name(), callers = new HashSet<>(2));
      callers.add(x.service);
    }
    if (x.span.kind() == SpanKind.PRODUCER
        && !x.destination.isEmpty()
        && producersOf.size() < 10_000) {
      producersOf
          .computeIfAbsent(x.transport.wireName() + '\0' + x.destination, k -> new HashSet<>(2))
          .add(x.service);
    }
    if (x.peerService == null && x.peerHost == null && x.peerAddress == null) return;
    Map<String, String> byPeer = calleeOfPeer.computeIfAbsent(x.service, k -> new HashMap<>());
    if (byPeer.size() >= 10_000) return;
    for (String key : peerKeys(x)) byPeer.put(key, e.service);
  }

  // ---- links

  private void link(TraceWalker.CrossLink l, TraceWalker.Walk w) {
    SpanKey key = new SpanKey(l.traceId(), l.spanId());
    Side x = exitsByKey.get(key);
    if (x != null) {
      consumed(x, l.entry());
      intact(x.facts, l.entry(), List.of());
      return;
    }
    SpanFacts known = recent.find(key.traceId(), key.spanId());
    if (known != null) {
      if (known.isExit() || !known.service.equals(l.entry().service)) {
        intact(known, l.entry(), List.of());
      }
      return;
    }
    linksAwaiting.computeIfAbsent(key, k -> new ArrayList<>(1)).add(l);
    linkQueue.add(new Object[] {key, w.closedAt});
  }

  // ---- pools

  private void addExit(Side x) {
    SpanKey key = new SpanKey(x.traceId, x.facts.span.spanId());
    List<TraceWalker.CrossLink> waiting = linksAwaiting.remove(key);
    if (waiting != null) {
      for (TraceWalker.CrossLink l : waiting) {
        consumed(x, l.entry());
        intact(x.facts, l.entry(), List.of());
      }
    }
    x.facts = x.facts.slim(); // it may wait a whole pairing window
    exitsByKey.put(key, x);
    exitQueue.add(x);
    x.pooled = true;
    exitsPending++;
    for (Object k : exactKeysOfExit(x)) index(exitIndex, k, x);
    for (Object k : heuristicKeysOfExit(x)) index(exitIndex, k, x);
  }

  private void addEntry(Side e) {
    e.facts = e.facts.slim(); // it may wait a whole pairing window
    entryQueue.add(e);
    e.pooled = true;
    entriesPending++;
    if (e.lone == Side.Lone.ORPHAN) {
      orphansByParent
          .computeIfAbsent(new SpanKey(e.traceId, e.missingParent), k -> new ArrayList<>(1))
          .add(e);
    }
    for (Object k : exactKeysOfEntry(e)) index(entryIndex, k, e);
    for (Object k : heuristicKeysOfEntry(e)) index(entryIndex, k, e);
  }

  private static void index(Map<Object, Set<Side>> index, Object key, Side s) {
    // sets: a topic's producers may be thousands, and sides leave one at a time
    index.computeIfAbsent(key, k -> new java.util.LinkedHashSet<>(2)).add(s);
  }

  private static void unindex(Map<Object, Set<Side>> index, Object key, Side s) {
    Set<Side> list = index.get(key);
    if (list == null) return;
    list.remove(s);
    if (list.isEmpty()) index.remove(key);
  }

  // keys are tagged records so different kinds of evidence never collide
  record Key(String kind, Object value) {}

  private static List<Object> exactKeysOfExit(Side x) {
    List<Object> keys = new ArrayList<>(4);
    SpanFacts f = x.facts;
    keys.add(new Key("span", f.span.spanId()));
    for (String id : x.requestIds) keys.add(new Key("xrid", id));
    if (f.messageId != null) keys.add(new Key("msg", f.messageId));
    if (f.hasKafkaOffset()) keys.add(new Key("kafka", kafkaKey(f)));
    return keys;
  }

  private static List<Object> exactKeysOfEntry(Side e) {
    List<Object> keys = new ArrayList<>(4);
    SpanFacts f = e.facts;
    if (f.remoteParent != SpanId.NONE) keys.add(new Key("span", f.remoteParent));
    if (e.lone == Side.Lone.ORPHAN && f.isEntry()) keys.add(new Key("span", e.missingParent));
    for (String id : f.requestIds) keys.add(new Key("xrid", id));
    if (f.messageId != null) keys.add(new Key("msg", f.messageId));
    if (f.hasKafkaOffset()) keys.add(new Key("kafka", kafkaKey(f)));
    return keys;
  }

  private static String kafkaKey(SpanFacts f) {
    return f.destination + '\0' + f.partition + '\0' + f.offset;
  }

  private static List<Object> heuristicKeysOfExit(Side x) {
    SpanFacts f = x.facts;
    List<Object> keys = new ArrayList<>(3);
    if (f.transport.isMessaging()) {
      if (!f.destination.isEmpty()) keys.add(new Key("dest", f.transport + "\0" + f.destination));
      return keys;
    }
    for (String k : peerKeys(f)) keys.add(new Key("peer", k));
    return keys;
  }

  private static List<Object> heuristicKeysOfEntry(Side e) {
    SpanFacts f = e.facts;
    List<Object> keys = new ArrayList<>(3);
    if (!heuristicCandidate(e)) return keys;
    if (f.transport.isMessaging()) {
      if (!f.destination.isEmpty()) keys.add(new Key("dest", f.transport + "\0" + f.destination));
      return keys;
    }
    for (String k : identityKeys(f)) keys.add(new Key("peer", k));
    return keys;
  }

  /** Only roots (and orphans whose chosen parent disagreed) may pair by timing. */
  private static boolean heuristicCandidate(Side e) {
    if (!e.facts.isEntry()) return false;
    if (e.lone == Side.Lone.ROOT) return true;
    return e.facts.conflict != null && !e.facts.conflict.isEmpty();
  }

  /** Names an exit's peer may go by. */
  static List<String> peerKeys(SpanFacts x) {
    List<String> keys = new ArrayList<>(3);
    if (x.peerService != null) keys.add(x.peerService.toLowerCase(java.util.Locale.ROOT));
    if (x.peerHost != null && !keys.contains(x.peerHost)) {
      keys.add(x.peerHost);
      String service = clusterServiceName(x.peerHost);
      if (!keys.contains(service)) keys.add(service);
    }
    if (x.peerAddress != null && !keys.contains(x.peerAddress)) keys.add(x.peerAddress);
    return keys;
  }

  /**
   * The peer's name for a hop: {@code peer.service}, else the host (a Kubernetes service's name for
   * {@code loyalty.shop.svc.cluster.local}), else the address.
   */
  static String peerName(SpanFacts x) {
    if (x.peerService != null) return x.peerService;
    String host = x.peerHost;
    if (host != null) return clusterServiceName(host);
    return x.peerAddress != null ? x.peerAddress : Hop.UNKNOWN_SERVICE;
  }

  /** {@code payments} for {@code payments.shop.svc.cluster.local}; other hosts unchanged. */
  static String clusterServiceName(String host) {
    int dot = host.indexOf('.');
    if (dot <= 0 || !(host.contains(".svc.") || host.endsWith(".svc"))) return host;
    return host.substring(0, dot);
  }

  /** Names an entry's service answers to. */
  static List<String> identityKeys(SpanFacts e) {
    List<String> keys = new ArrayList<>(3);
    keys.add(e.service.toLowerCase(java.util.Locale.ROOT));
    if (e.hostName != null && !keys.contains(e.hostName)) keys.add(e.hostName);
    if (e.localAddress != null && !keys.contains(e.localAddress)) keys.add(e.localAddress);
    return keys;
  }

  // ---- exact pairing

  private boolean pairExactly(Side e) {
    SpanFacts f = e.facts;
    if (!f.isEntry()) return false;
    if (f.remoteParent != SpanId.NONE) {
      Side x = firstExit(new Key("span", f.remoteParent), e);
      if (x != null)
        return pair(x, e, Pairing.EXACT, "remote_parent " + SpanId.toHex(f.remoteParent));
    }
    if (e.lone == Side.Lone.ORPHAN) {
      Side x = firstExit(new Key("span", e.missingParent), e);
      if (x != null) {
        return pair(x, e, Pairing.EXACT, "parent span id " + SpanId.toHex(e.missingParent));
      }
    }
    for (String id : f.requestIds) {
      Side x = firstExit(new Key("xrid", id), e);
      if (x != null) return pair(x, e, Pairing.EXACT, "x-request-id " + id);
    }
    if (f.messageId != null) {
      Side x = firstExit(new Key("msg", f.messageId), e);
      if (x != null) return pair(x, e, Pairing.EXACT, "messaging.message.id " + f.messageId);
    }
    if (f.hasKafkaOffset()) {
      Side x = firstExit(new Key("kafka", kafkaKey(f)), e);
      if (x != null) {
        return pair(
            x,
            e,
            Pairing.EXACT,
            "kafka " + f.destination + " partition " + f.partition + " offset " + f.offset);
      }
    }
    return false;
  }

  private Side firstExit(Key key, Side e) {
    Set<Side> list = exitIndex.get(key);
    if (list == null) return null;
    Side best = null;
    long bestScore = Long.MAX_VALUE;
    for (Side x : list) {
      if (x.done || x.traceId.equals(e.traceId)) continue;
      if (key.kind().equals("msg") && !sameDestination(x.facts, e.facts)) continue;
      if (!key.kind().equals("xrid")) return x;
      if (!duringCall(x, e)) continue;
      long score = sharedIdScore(x, e);
      if (score < bestScore) { // MAX_VALUE never qualifies
        best = x;
        bestScore = score;
      }
    }
    return best;
  }

  /** The entry started while the exit's call was open (± the heuristic clock skew). */
  private boolean duringCall(Side x, Side e) {
    long skew = config.heuristicSkewNanos;
    long start = e.start();
    if (start < x.start() - skew) return false;
    return x.facts.span.kind() != SpanKind.CLIENT || start <= x.end() + skew;
  }

  /**
   * One x-request-id spans a whole request tree, so several broken hops of one request share it:
   * only an exit whose peer names the entry's service (or that names no peer) qualifies, the
   * closest in time first.
   */
  private static long sharedIdScore(Side x, Side e) {
    long dt = Math.abs(x.start() - e.start());
    dt = Math.min(dt, Long.MAX_VALUE / 4);
    List<String> peers = peerKeys(x.facts);
    if (peers.isEmpty()) return dt;
    List<String> identity = identityKeys(e.facts);
    for (String k : peers) {
      if (identity.contains(k)) return dt;
    }
    return Long.MAX_VALUE; // the exit called someone else in the same request
  }

  private void pairExactlyFromExit(Side x) {
    for (Object k : exactKeysOfExit(x)) {
      Set<Side> list = entryIndex.get(k);
      if (list == null) continue;
      Key key = (Key) k;
      if (key.kind().equals("xrid")) {
        Side best = null;
        long bestScore = Long.MAX_VALUE;
        for (Side e : list) {
          if (e.done || e.traceId.equals(x.traceId) || !duringCall(x, e)) continue;
          long score = sharedIdScore(x, e);
          if (score < bestScore) {
            best = e;
            bestScore = score;
          }
        }
        if (best != null) pair(x, best, Pairing.EXACT, describe(key, best));
        if (x.done) return;
        continue;
      }
      for (Side e : new ArrayList<>(list)) {
        if (e.done || e.traceId.equals(x.traceId)) continue;
        if (key.kind().equals("msg") && !sameDestination(x.facts, e.facts)) continue;
        pair(x, e, Pairing.EXACT, describe(key, e));
        if (x.done) return;
      }
    }
  }

  private static String describe(Key key, Side e) {
    switch (key.kind()) {
      case "span":
        return e.facts.remoteParent == (long) key.value()
            ? "remote_parent " + SpanId.toHex((long) key.value())
            : "parent span id " + SpanId.toHex((long) key.value());
      case "xrid":
        return "x-request-id " + key.value();
      case "msg":
        return "messaging.message.id " + key.value();
      default:
        SpanFacts f = e.facts;
        return "kafka " + f.destination + " partition " + f.partition + " offset " + f.offset;
    }
  }

  private static boolean sameDestination(SpanFacts x, SpanFacts e) {
    return x.destination.isEmpty()
        || e.destination.isEmpty()
        || x.destination.equals(e.destination);
  }

  // ---- heuristic pairing

  /**
   * Pairs a side decided now by timing, with the counterpart whose best match it is in turn (the
   * mutually closest pair), so an exit that lost its own entry cannot take another hop's entry.
   */
  private void pairHeuristically(Side side) {
    for (int attempt = 0; attempt < 4 && !side.done; attempt++) {
      if (side.lone == null) {
        Side e = bestEntry(side);
        if (e == null) return;
        Side back = bestExit(e);
        if (back == side || back == null) {
          pair(side, e, Pairing.HEURISTIC, heuristicHow(side, e));
        } else {
          pair(back, e, Pairing.HEURISTIC, heuristicHow(back, e));
        }
      } else {
        Side x = bestExit(side);
        if (x == null) return;
        Side back = bestEntry(x);
        if (back == side || back == null) {
          pair(x, side, Pairing.HEURISTIC, heuristicHow(x, side));
        } else {
          pair(x, back, Pairing.HEURISTIC, heuristicHow(x, back));
        }
      }
    }
  }

  private Side bestExit(Side e) {
    if (!heuristicCandidate(e)) return null;
    Side best = null;
    long bestScore = Long.MAX_VALUE;
    for (Object k : heuristicKeysOfEntry(e)) {
      Set<Side> list = exitIndex.get(k);
      if (list == null) continue;
      for (Side x : list) {
        long score = score(x, e);
        if (score < bestScore) {
          best = x;
          bestScore = score;
        }
      }
    }
    return best;
  }

  private Side bestEntry(Side x) {
    Side best = null;
    long bestScore = Long.MAX_VALUE;
    for (Object k : heuristicKeysOfExit(x)) {
      Set<Side> list = entryIndex.get(k);
      if (list == null) continue;
      for (Side e : list) {
        long score = score(x, e);
        if (score < bestScore) {
          best = e;
          bestScore = score;
        }
      }
    }
    return best;
  }

  /** Lower is better; {@code Long.MAX_VALUE} when the two cannot be the same hop. */
  private long score(Side x, Side e) {
    if (x.done || e.done || x.traceId.equals(e.traceId)) return Long.MAX_VALUE;
    SpanFacts xf = x.facts;
    SpanFacts ef = e.facts;
    long skew = config.heuristicSkewNanos;
    if (xf.transport.isMessaging()) {
      if (xf.transport != ef.transport || !xf.destination.equals(ef.destination)) {
        return Long.MAX_VALUE;
      }
      if (ef.span.kind() != SpanKind.CONSUMER) return Long.MAX_VALUE;
      if (x.consumedBy.contains(ef.service)) return Long.MAX_VALUE; // that subscriber got it
      // identities that differ mean different messages, whatever the timing says
      if (xf.messageId != null && ef.messageId != null) return Long.MAX_VALUE;
      if (xf.hasKafkaOffset() && ef.hasKafkaOffset()) return Long.MAX_VALUE;
      long delay = ef.span.startEpochNanos() - xf.span.startEpochNanos();
      if (delay < -skew || delay > config.pairingWindowNanos) return Long.MAX_VALUE;
      return Math.abs(delay);
    }
    if (ef.transport.isMessaging() || ef.span.kind() != SpanKind.SERVER) return Long.MAX_VALUE;
    if (xf.transport != Transport.UNKNOWN
        && ef.transport != Transport.UNKNOWN
        && xf.transport != ef.transport) {
      return Long.MAX_VALUE;
    }
    if (!x.requestIds.isEmpty() && !ef.requestIds.isEmpty()) {
      return Long.MAX_VALUE; // equal ids would have paired exactly
    }
    long start = ef.span.startEpochNanos();
    if (start < xf.span.startEpochNanos() - skew || start > xf.span.endEpochNanos() + skew) {
      return Long.MAX_VALUE;
    }
    if (ef.span.endEpochNanos() > xf.span.endEpochNanos() + skew) return Long.MAX_VALUE;
    if (xf.method != null && ef.method != null && !xf.method.equalsIgnoreCase(ef.method)) {
      return Long.MAX_VALUE;
    }
    if (!routeMatches(xf, ef)) return Long.MAX_VALUE;
    long dStart = Math.abs(start - xf.span.startEpochNanos());
    long dEnd = Math.abs(xf.span.endEpochNanos() - ef.span.endEpochNanos());
    return dStart + dEnd;
  }

  static boolean routeMatches(SpanFacts x, SpanFacts e) {
    if (x.transport == Transport.GRPC || e.transport == Transport.GRPC) {
      return x.span.name().equalsIgnoreCase(e.span.name());
    }
    if (x.path == null) return true;
    if (e.path != null) return x.path.equals(e.path);
    if (e.route != null) return Routes.matches(e.route, x.path);
    return true;
  }

  private static String heuristicHow(Side x, Side e) {
    SpanFacts xf = x.facts;
    SpanFacts ef = e.facts;
    if (xf.transport.isMessaging()) {
      return "destination " + xf.destination + " and timing";
    }
    StringBuilder b = new StringBuilder("peer ");
    List<String> peer = peerKeys(xf);
    b.append(peer.isEmpty() ? "?" : peer.get(0));
    if (xf.method != null) b.append(", method ").append(xf.method);
    if (xf.path != null) b.append(", route ").append(ef.route != null ? ef.route : xf.path);
    b.append(" and time overlap");
    return b.toString();
  }

  // ---- deciding

  private boolean pair(Side x, Side e, Pairing pairing, String how) {
    Finding f = Verdict.paired(x, e, pairing, how);
    if (x.facts.transport.isMessaging()) {
      consumed(x, e.facts); // a message may reach many consumers
    } else {
      finish(x);
    }
    finish(e);
    emit(f, edge(x.facts, e.facts), true);
    return true;
  }

  /** The exit reached {@code consumer}: no finding for it alone, and that subscriber is served. */
  private static void consumed(Side x, SpanFacts consumer) {
    x.satisfied = true;
    if (x.consumedBy.isEmpty()) x.consumedBy = new java.util.HashSet<>(2);
    x.consumedBy.add(consumer.service);
  }

  private void finish(Side s) {
    if (s.done) return;
    s.done = true;
    if (!s.pooled) return;
    if (s.lone == null) {
      exitsPending--;
      exitsByKey.remove(new SpanKey(s.traceId, s.facts.span.spanId()));
      for (Object k : exactKeysOfExit(s)) unindex(exitIndex, k, s);
      for (Object k : heuristicKeysOfExit(s)) unindex(exitIndex, k, s);
    } else {
      entriesPending--;
      if (s.lone == Side.Lone.ORPHAN) {
        SpanKey key = new SpanKey(s.traceId, s.missingParent);
        List<Side> list = orphansByParent.get(key);
        if (list != null) {
          list.remove(s);
          if (list.isEmpty()) orphansByParent.remove(key);
        }
      }
      for (Object k : exactKeysOfEntry(s)) unindex(entryIndex, k, s);
      for (Object k : heuristicKeysOfEntry(s)) unindex(entryIndex, k, s);
    }
  }

  private void expire(long now, boolean all) {
    long window = config.pairingWindowNanos;
    // entries first: producers that already reached some subscribers stay pairable for them
    while (!entryQueue.isEmpty()) {
      Side e = entryQueue.peek();
      boolean over = entriesPending > config.maxPending;
      if (!e.done && !all && !over && now - e.closedAt < window) break;
      entryQueue.poll();
      if (e.done) continue;
      pairHeuristically(e);
      if (e.done) continue;
      finish(e);
      decideEntry(e);
    }
    while (!exitQueue.isEmpty()) {
      Side x = exitQueue.peek();
      boolean over = exitsPending > config.maxPending;
      if (!x.done && !all && !over && now - x.closedAt < window) break;
      exitQueue.poll();
      if (x.done) continue;
      if (!x.satisfied) pairHeuristically(x);
      if (x.done) continue;
      finish(x);
      decideExit(x);
    }
    while (!linkQueue.isEmpty()) {
      Object[] l = linkQueue.peek();
      if (!all && now - (long) l[1] < window && linkQueue.size() <= config.maxPending) break;
      linkQueue.poll();
      linksAwaiting.remove((SpanKey) l[0]);
    }
  }

  private void decideExit(Side x) {
    SpanFacts f = x.facts;
    if (x.satisfied || f.span.kind() == SpanKind.PRODUCER || f.transport.isMessaging()) {
      return; // fire-and-forget, or its consumers joined by link or pairing
    }
    if (x.retryOfPaired) return;
    if (f.span.status().code() == dev.tracewire.server.model.StatusCode.ERROR
        && f.statusCode == 0) {
      return; // the request never reached a peer (refused, timed out): nothing was lost
    }
    String callee = null;
    Map<String, String> byPeer = calleeOfPeer.getOrDefault(f.service, Map.of());
    for (String key : peerKeys(f)) {
      callee = byPeer.get(key);
      if (callee != null) break;
    }
    if (callee != null) {
      Finding finding = Verdict.loneExit(x, callee, true);
      emit(finding, new Edge(f.service, callee, f.transport, f.destination), true);
      return;
    }
    String peer = peerName(f);
    Finding finding = Verdict.loneExit(x, peer, false);
    emit(finding, new Edge(f.service, peer, f.transport, f.destination), false);
  }

  private void decideEntry(Side e) {
    SpanFacts f = e.facts;
    String knownCaller = null;
    if (e.lone == Side.Lone.ORPHAN && !e.traceHasRoot) {
      Set<String> callers = callersOf.getOrDefault(f.service, Map.of()).get(f.span.name());
      if (callers != null && callers.size() == 1) knownCaller = callers.iterator().next();
    }
    String reporter = e.enclosingService;
    if (e.lone == Side.Lone.ORPHAN && f.span.kind() == SpanKind.CONSUMER) {
      Set<String> producers = producersOf.get(f.transport.wireName() + '\0' + f.destination);
      if (producers != null && producers.size() == 1) reporter = producers.iterator().next();
    }
    Finding finding = Verdict.loneEntry(e, knownCaller, reporter);
    if (finding == null) return;
    Hop hop = finding.hop();
    // an in-process parent lost is no hop between services: no edge to count it on
    Edge edge = f.isEntry() ? new Edge(hop.from(), hop.to(), hop.transport(), f.destination) : null;
    emit(finding, edge, true);
  }

  private void emit(Finding f, Edge edge, boolean broken) {
    findings.add(f);
    if (edge == null) return;
    if (broken && f.kind().isBreak()) edges.broken(edge, f.timeEpochNanos());
    edges.finding(edge, f.timeEpochNanos(), f.kind());
  }

  private static Edge edge(SpanFacts x, SpanFacts e) {
    return new Edge(x.service, e.service, Verdict.transport(x, e), Verdict.destination(x, e));
  }
}
