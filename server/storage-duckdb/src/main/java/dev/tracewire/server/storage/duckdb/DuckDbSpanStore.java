package dev.tracewire.server.storage.duckdb;

import dev.tracewire.server.analysis.Blame;
import dev.tracewire.server.analysis.Edge;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.analysis.Hop;
import dev.tracewire.server.analysis.Pairing;
import dev.tracewire.server.analysis.Transport;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.DependencyLink;
import dev.tracewire.server.storage.FindingQuery;
import dev.tracewire.server.storage.Operation;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.StorageException;
import dev.tracewire.server.storage.TraceQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The embedded default {@link SpanStore}: one DuckDB database file in a data directory. A write
 * returns once DuckDB committed it to its write-ahead log; concurrent writers share one commit
 * (group commit) on the single writer connection, while reads use their own connections.
 *
 * <pre>{@code
 * try (SpanStore store = DuckDbSpanStore.newBuilder(Path.of("tracewire-data")).build()) {
 *   store.write(spans);
 * }
 * }</pre>
 */
public final class DuckDbSpanStore implements SpanStore {
  private static final Logger logger = Logger.getLogger(DuckDbSpanStore.class.getName());

  static final String DATABASE_FILE = "spans.duckdb";

  /** Four DuckDB row groups: below this, budget retention rewrites the table to free space. */
  private static final long SMALL_TABLE_ROWS = 4 * 122_880;

  /** Search starts with the slice holding about this many of the newest spans. */
  private static final int INITIAL_SEARCH_SPANS = 1 << 16;

  private static final String SPAN_COLUMNS =
      "trace_hi, trace_lo, span_id, parent_id, service, name, kind, start_ns, duration_ns,"
          + " status_code, status_message, flags, trace_state, attributes, resource, scope,"
          + " events, links, dropped_attributes, dropped_events, dropped_links";

  private static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startEpochNanos).thenComparingLong(Span::spanId);

  private final Path databaseFile;
  private final DuckDBConnection root;
  private final DuckDBConnection writer;
  private final BlockingQueue<DuckDBConnection> readers;
  private final List<DuckDBConnection> allReaders = new ArrayList<>();
  private final Map<Connection, Map<String, PreparedStatement>> preparedByReader =
      new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ConcurrentLinkedQueue<PendingWrite> pending = new ConcurrentLinkedQueue<>();
  private final RecentSpans recent; // guarded by writeLock
  private final TraceLocator locator;
  // the same for findings: each finding's trace ids at its time, so a trace's findings are read
  // from a few windows of time_ns instead of a scan of every finding
  private final TraceLocator findingLocator;
  // set when a stored finding names a trace id that is not hex: then reads by trace scan all
  private volatile boolean findingsUnlocatable;
  private volatile boolean closed;

  private DuckDbSpanStore(Builder b) throws SQLException, IOException {
    Files.createDirectories(b.dataDir);
    databaseFile = b.dataDir.resolve(DATABASE_FILE);
    Properties props = new Properties();
    props.setProperty("memory_limit", b.memoryLimit);
    props.setProperty("threads", Integer.toString(b.threads));
    props.setProperty("checkpoint_threshold", b.checkpointThreshold);
    root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + databaseFile, props);
    try {
      try (Statement st = root.createStatement()) {
        st.execute(createSpansTable("spans"));
        st.execute(CREATE_FINDINGS);
        st.execute(CREATE_EDGE_STATS);
      }
      writer = root.duplicate();
      writer.setAutoCommit(false);
      readers = new ArrayBlockingQueue<>(b.readConnections);
      for (int i = 0; i < b.readConnections; i++) {
        DuckDBConnection c = root.duplicate();
        allReaders.add(c);
        readers.add(c);
      }
      recent = new RecentSpans(b.dedupeCacheBits);
      locator = new TraceLocator(b.locatorChunkSpans);
      findingLocator = new TraceLocator(Math.max(1, b.locatorChunkSpans / 8));
      rebuildLocator();
    } catch (SQLException | RuntimeException e) {
      // best effort: the usual failures (locked or corrupt file) happen before any duplicate exists
      closeQuietly(root);
      throw e;
    }
  }

  private void rebuildLocator() throws SQLException {
    try (Statement st = root.createStatement();
        ResultSet rs = st.executeQuery("SELECT trace_hi, trace_lo, start_ns FROM spans")) {
      while (rs.next()) locator.add(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
    try (Statement st = root.createStatement();
        ResultSet rs = st.executeQuery("SELECT time_ns, trace_ids FROM findings")) {
      while (rs.next()) locateFinding(rs.getLong(1), splitIds(rs.getString(2)));
    }
  }

  private void locateFinding(long timeNanos, List<String> traceIds) {
    for (String hex : traceIds) {
      TraceId id = TraceId.fromHex(hex);
      if (id == null || !isCanonicalTraceId(hex)) findingsUnlocatable = true;
      else findingLocator.add(id.high(), id.low(), timeNanos);
    }
  }

  private static boolean isCanonicalTraceId(String hex) {
    TraceId id = TraceId.fromHex(hex);
    return id != null && id.toHex().equals(hex);
  }

  /**
   * SQL restricting {@code time_ns} to where findings of {@code ids} may be, with its parameters
   * added to {@code params}; null when none can be (no finding names any of them).
   */
  private String findingWindows(Collection<TraceId> ids, List<Object> params) {
    if (findingsUnlocatable) return "TRUE";
    List<long[]> windows = new ArrayList<>();
    for (TraceId id : ids) windows.addAll(findingLocator.windows(id.high(), id.low()));
    if (windows.isEmpty()) return null;
    List<long[]> merged = TraceLocator.merge(windows);
    if (merged.size() > 64) { // past this many ORs a scan is cheaper than the predicate
      params.add(merged.get(0)[0]);
      params.add(merged.get(merged.size() - 1)[1]);
      return "time_ns BETWEEN ? AND ?";
    }
    StringBuilder sql = new StringBuilder("(");
    for (long[] w : merged) {
      if (sql.length() > 1) sql.append(" OR ");
      sql.append("time_ns BETWEEN ? AND ?");
      params.add(w[0]);
      params.add(w[1]);
    }
    return sql.append(')').toString();
  }

  // lists as comma-joined text: ids are fixed-width hex, and the appender writes plain columns
  private static final String CREATE_FINDINGS =
      "CREATE TABLE IF NOT EXISTS findings (time_ns BIGINT NOT NULL, kind VARCHAR NOT NULL,"
          + " from_service VARCHAR NOT NULL, to_service VARCHAR NOT NULL,"
          + " transport VARCHAR NOT NULL, blame VARCHAR NOT NULL, pairing VARCHAR NOT NULL,"
          + " trace_ids VARCHAR NOT NULL, span_ids VARCHAR NOT NULL, evidence VARCHAR NOT NULL,"
          + " hint VARCHAR NOT NULL)";

  // one row per write; reads sum rows of the same edge and bucket
  private static final String CREATE_EDGE_STATS =
      "CREATE TABLE IF NOT EXISTS edge_stats (bucket_ns BIGINT NOT NULL,"
          + " bucket_width_ns BIGINT NOT NULL, from_service VARCHAR NOT NULL,"
          + " to_service VARCHAR NOT NULL, transport VARCHAR NOT NULL,"
          + " destination VARCHAR NOT NULL, intact BIGINT NOT NULL, broken BIGINT NOT NULL,"
          + " by_kind VARCHAR NOT NULL)";

  private static String createSpansTable(String name) {
    return "CREATE TABLE IF NOT EXISTS "
        + name
        + " (trace_hi BIGINT NOT NULL, trace_lo BIGINT NOT NULL,"
        + " span_id BIGINT NOT NULL, parent_id BIGINT NOT NULL, service VARCHAR NOT NULL,"
        + " name VARCHAR NOT NULL, kind TINYINT NOT NULL, start_ns BIGINT NOT NULL,"
        + " duration_ns BIGINT NOT NULL, status_code TINYINT NOT NULL,"
        + " status_message VARCHAR NOT NULL, flags INTEGER NOT NULL,"
        + " trace_state VARCHAR NOT NULL,"
        // zstd: attribute text holds unique values (message ids, offsets) that defeat
        // dictionaries; measured ~6 bytes/span smaller than DuckDB's default choice
        + " attributes VARCHAR NOT NULL USING COMPRESSION zstd,"
        + " resource VARCHAR NOT NULL, scope VARCHAR NOT NULL,"
        + " events VARCHAR NOT NULL, links VARCHAR NOT NULL,"
        + " dropped_attributes INTEGER NOT NULL, dropped_events INTEGER NOT NULL,"
        + " dropped_links INTEGER NOT NULL)";
  }

  /** Opens (or creates) the store in {@code dataDir} with default settings. */
  public static DuckDbSpanStore open(Path dataDir) {
    return newBuilder(dataDir).build();
  }

  public static Builder newBuilder(Path dataDir) {
    return new Builder(dataDir);
  }

  // ---- write: group commit ----

  @Override
  public void write(List<Span> spans) {
    checkOpen();
    if (spans.isEmpty()) return;
    // encoding is most of a write's CPU: done here, on the caller's thread, concurrent writers
    // encode in parallel and only the append itself is serialized under the lock
    PendingWrite mine = new PendingWrite(encode(spans));
    pending.add(mine);
    writeLock.lock();
    try {
      // whoever holds the lock commits everything queued so far, including later arrivals
      if (!mine.done) commitPending();
    } finally {
      writeLock.unlock();
    }
    if (mine.failure != null) {
      throw new StorageException("write of " + spans.size() + " spans failed", mine.failure);
    }
  }

  private void commitPending() {
    List<PendingWrite> group = new ArrayList<>();
    for (PendingWrite p; (p = pending.poll()) != null; ) group.add(p);
    if (group.isEmpty()) return;
    List<Row> batch;
    if (group.size() == 1) {
      batch = group.get(0).rows;
    } else {
      int size = 0;
      for (PendingWrite p : group) size += p.rows.size();
      batch = new ArrayList<>(size);
      for (PendingWrite p : group) batch.addAll(p.rows);
      batch.sort(null); // merges the writes' sorted runs
    }
    // sorted by key: a span sent twice in this group is adjacent to its copy
    List<Row> fresh = new ArrayList<>(batch.size());
    Row previous = null;
    for (Row row : batch) {
      boolean copy = previous != null && previous.sameKey(row);
      previous = row;
      if (!copy && !recent.contains(row.traceHigh, row.traceLow, row.spanId)) fresh.add(row);
    }
    Throwable failure = null;
    if (closed) {
      failure = new StorageException("store is closed");
    } else if (!fresh.isEmpty()) {
      try {
        append(fresh);
        writer.commit();
        for (Row row : fresh) recent.add(row.traceHigh, row.traceLow, row.spanId);
        locator.addAll(fresh);
      } catch (SQLException | RuntimeException e) {
        failure = e;
        rollbackQuietly();
      }
    }
    for (PendingWrite p : group) {
      p.failure = failure;
      p.done = true;
    }
  }

  private static final byte[] EMPTY = new byte[0];

  /**
   * A span ready for the appender: its text columns already UTF-8 (the appender's per-value cost,
   * paid here on the writing thread rather than under the lock), its locator hashes computed.
   * Ordered by trace id, then span id: clustered by trace, runs of equal ids compress (RLE) and a
   * lookup touches fewer blocks.
   */
  static final class Row implements Comparable<Row>, TraceLocator.Entry {
    final long traceHigh;
    final long traceLow;
    final long spanId;
    final long parentId;
    final long start;
    final long duration;
    final byte kind;
    final byte statusCode;
    final int flags;
    final int droppedAttributes;
    final int droppedEvents;
    final int droppedLinks;
    final byte[] service;
    final byte[] name;
    final byte[] statusMessage;
    final byte[] traceState;
    final byte[] attributes;
    final byte[] resource;
    final byte[] scope;
    final byte[] events;
    final byte[] links;
    final long hash1;
    final long hash2;

    Row(Span s, Map<Object, byte[]> shared) {
      traceHigh = s.traceId().high();
      traceLow = s.traceId().low();
      spanId = s.spanId();
      parentId = s.parentSpanId();
      start = s.startEpochNanos();
      duration = s.durationNanos();
      kind = (byte) s.kind().number();
      statusCode = (byte) s.status().code().number();
      flags = s.flags();
      droppedAttributes = s.droppedAttributesCount();
      droppedEvents = s.droppedEventsCount();
      droppedLinks = s.droppedLinksCount();
      service = shared.computeIfAbsent(s.serviceName(), k -> utf8(s.serviceName()));
      name = utf8(s.name());
      statusMessage = utf8(s.status().message());
      traceState = utf8(s.traceState());
      attributes = utf8(SpanCodec.encodeAttributes(s.attributes()));
      // a request's spans share one Resource and Scope instance: encode each once
      resource =
          shared.computeIfAbsent(s.resource(), r -> utf8(SpanCodec.encodeResource(s.resource())));
      scope = shared.computeIfAbsent(s.scope(), r -> utf8(SpanCodec.encodeScope(s.scope())));
      events = utf8(SpanCodec.encodeEvents(s.events(), s.startEpochNanos()));
      links = utf8(SpanCodec.encodeLinks(s.links()));
      hash1 = TraceLocator.hash1(traceHigh, traceLow);
      hash2 = TraceLocator.hash2(traceHigh, traceLow);
    }

    // empty, not NULL: DuckDB stores an all-empty string segment in almost no space
    private static byte[] utf8(String value) {
      return value == null || value.isEmpty() ? EMPTY : value.getBytes(StandardCharsets.UTF_8);
    }

    boolean sameKey(Row o) {
      return spanId == o.spanId && traceLow == o.traceLow && traceHigh == o.traceHigh;
    }

    @Override
    public int compareTo(Row o) {
      int c = Long.compare(traceHigh, o.traceHigh);
      if (c == 0) c = Long.compare(traceLow, o.traceLow);
      return c != 0 ? c : Long.compare(spanId, o.spanId);
    }

    @Override
    public long hash1() {
      return hash1;
    }

    @Override
    public long hash2() {
      return hash2;
    }

    @Override
    public long startNanos() {
      return start;
    }
  }

  /** Rows of {@code spans}, sorted by key, each key once. */
  private static List<Row> encode(List<Span> spans) {
    Map<Object, byte[]> shared = new IdentityHashMap<>();
    Row[] rows = new Row[spans.size()];
    for (int i = 0; i < rows.length; i++) rows[i] = new Row(spans.get(i), shared);
    Arrays.sort(rows);
    List<Row> unique = new ArrayList<>(rows.length);
    for (int i = 0; i < rows.length; i++) {
      if (i == 0 || !rows[i - 1].sameKey(rows[i])) unique.add(rows[i]);
    }
    return unique;
  }

  private void append(List<Row> batch) throws SQLException {
    try (DuckDBAppender a = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spans")) {
      for (Row row : batch) {
        a.beginRow();
        a.append(row.traceHigh);
        a.append(row.traceLow);
        a.append(row.spanId);
        a.append(row.parentId);
        a.append(row.service);
        a.append(row.name);
        a.append(row.kind);
        a.append(row.start);
        a.append(row.duration);
        a.append(row.statusCode);
        a.append(row.statusMessage);
        a.append(row.flags);
        a.append(row.traceState);
        a.append(row.attributes);
        a.append(row.resource);
        a.append(row.scope);
        a.append(row.events);
        a.append(row.links);
        a.append(row.droppedAttributes);
        a.append(row.droppedEvents);
        a.append(row.droppedLinks);
        a.endRow();
      }
      a.flush();
    }
  }

  private void rollbackQuietly() {
    try {
      writer.rollback();
    } catch (SQLException e) {
      logger.log(Level.FINE, "rollback failed", e);
    }
  }

  // ---- reads ----

  private static final String TRACE_SQL =
      "SELECT "
          + SPAN_COLUMNS
          + " FROM spans WHERE start_ns BETWEEN ? AND ? AND trace_hi = ? AND trace_lo = ?";

  @Override
  public List<Span> trace(TraceId traceId) {
    checkOpen();
    List<long[]> windows = locator.windows(traceId.high(), traceId.low());
    if (windows.isEmpty()) return List.of();
    return withReader(
        c -> {
          List<Span> spans = new ArrayList<>();
          Set<Long> ids = new HashSet<>();
          // one query per window: a plain range on start_ns is what zone maps prune on
          {
            PreparedStatement ps = prepared(c, TRACE_SQL);
            for (long[] w : windows) {
              ps.setLong(1, w[0]);
              ps.setLong(2, w[1]);
              ps.setLong(3, traceId.high());
              ps.setLong(4, traceId.low());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  if (ids.add(rs.getLong(3))) spans.add(readSpan(rs));
                }
              }
            }
          }
          spans.sort(BY_START);
          return spans;
        });
  }

  @Override
  public List<List<Span>> searchTraces(TraceQuery query) {
    List<TraceId> ids = search(query);
    if (ids.isEmpty()) return List.of();
    Map<TraceId, Map<Long, Span>> traces = new LinkedHashMap<>();
    List<long[]> windows = new ArrayList<>();
    for (TraceId id : ids) {
      traces.put(id, new LinkedHashMap<>());
      windows.addAll(locator.windows(id.high(), id.low()));
    }
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(SPAN_COLUMNS)
            .append(" FROM spans WHERE start_ns BETWEEN ? AND ? AND trace_lo IN (");
    for (int i = 0; i < ids.size(); i++) sql.append(i == 0 ? "?" : ", ?");
    sql.append(')');
    // one pass per merged window instead of one lookup per trace: result traces are usually recent
    withReader(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < ids.size(); i++) ps.setLong(i + 3, ids.get(i).low());
            for (long[] w : TraceLocator.merge(windows)) {
              ps.setLong(1, w[0]);
              ps.setLong(2, w[1]);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  Map<Long, Span> trace = traces.get(TraceId.of(rs.getLong(1), rs.getLong(2)));
                  if (trace != null && !trace.containsKey(rs.getLong(3))) {
                    trace.put(rs.getLong(3), readSpan(rs));
                  }
                }
              }
            }
          }
          return null;
        });
    List<List<Span>> result = new ArrayList<>();
    for (Map<Long, Span> trace : traces.values()) {
      if (trace.isEmpty()) continue;
      List<Span> spans = new ArrayList<>(trace.values());
      spans.sort(BY_START);
      result.add(spans);
    }
    return result;
  }

  private static Span readSpan(ResultSet rs) throws SQLException {
    long start = rs.getLong(8);
    String message = rs.getString(11);
    return Span.newBuilder()
        .traceId(TraceId.of(rs.getLong(1), rs.getLong(2)))
        .spanId(rs.getLong(3))
        .parentSpanId(rs.getLong(4))
        .name(rs.getString(6))
        .kind(SpanKind.forNumber(rs.getInt(7)))
        .startEpochNanos(start)
        .endEpochNanos(start + rs.getLong(9))
        .status(Status.create(StatusCode.forNumber(rs.getInt(10)), message))
        .flags(rs.getInt(12))
        .traceState(rs.getString(13))
        .attributes(SpanCodec.decodeAttributes(rs.getString(14)))
        .resource(SpanCodec.decodeResource(rs.getString(15)))
        .scope(SpanCodec.decodeScope(rs.getString(16)))
        .events(SpanCodec.decodeEvents(rs.getString(17), start))
        .links(SpanCodec.decodeLinks(rs.getString(18)))
        .droppedAttributesCount(rs.getInt(19))
        .droppedEventsCount(rs.getInt(20))
        .droppedLinksCount(rs.getInt(21))
        .build();
  }

  @Override
  public List<TraceId> search(TraceQuery query) {
    checkOpen();
    StringBuilder sql =
        new StringBuilder(
            "SELECT trace_hi, trace_lo, max(start_ns) AS newest FROM spans"
                + " WHERE start_ns BETWEEN ? AND ? AND duration_ns BETWEEN ? AND ?");
    List<Object> params = new ArrayList<>();
    params.add(query.startEpochNanos());
    params.add(query.endEpochNanos());
    params.add(query.minDurationNanos());
    params.add(query.maxDurationNanos());
    if (query.serviceName() != null) {
      sql.append(" AND service = ?");
      params.add(query.serviceName());
    }
    if (query.spanName() != null) {
      sql.append(" AND name = ?");
      params.add(query.spanName());
    }
    for (Map.Entry<String, String> tag : query.tags().entrySet()) {
      sql.append(" AND (");
      boolean first = true;
      for (String needle : SpanCodec.tagNeedles(tag.getKey(), tag.getValue())) {
        for (String column : new String[] {"attributes", "resource"}) {
          if (!first) sql.append(" OR ");
          first = false;
          sql.append("contains(").append(column).append(", ?)");
          params.add(needle);
        }
      }
      StatusCode status = TraceQuery.statusOfTag(tag.getKey(), tag.getValue());
      if (status != null) {
        sql.append(" OR status_code = ?");
        params.add(status.number());
      }
      SpanKind kind = TraceQuery.kindOfTag(tag.getKey(), tag.getValue());
      if (kind != null) {
        sql.append(" OR kind = ?");
        params.add(kind.number());
      }
      sql.append(')');
    }
    // ties by trace id as unsigned 128-bit, like TraceId.compareTo: flip the sign bits
    sql.append(
        " GROUP BY trace_hi, trace_lo ORDER BY newest DESC,"
            + " xor(trace_hi, -9223372036854775807 - 1), xor(trace_lo, -9223372036854775807 - 1)"
            + " LIMIT ?");
    params.add(query.limit());
    long newestStored = locator.maxStart();
    if (newestStored == Long.MIN_VALUE) return List.of();
    long end = Math.min(query.endEpochNanos(), newestStored);
    long lowest = query.startEpochNanos();
    return withReader(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            // Newest first: search the most recent slice, widening it until enough traces are
            // found, so zone maps skip old row groups. Any trace left out has its newest match
            // before the slice, so it is older than every trace found in it.
            long window =
                Math.max(1_000_000_000L, end - locator.startOfNewest(INITIAL_SEARCH_SPANS));
            while (true) {
              long from = end - lowest <= window ? lowest : end - window;
              ps.setLong(1, from);
              List<TraceId> ids = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(TraceId.of(rs.getLong(1), rs.getLong(2)));
              }
              if (ids.size() >= query.limit() || from == lowest) return ids;
              window = window > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : window * 8;
            }
          }
        });
  }

  @Override
  public List<String> services() {
    checkOpen();
    return withReader(
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery("SELECT DISTINCT service FROM spans ORDER BY service")) {
            List<String> services = new ArrayList<>();
            while (rs.next()) services.add(rs.getString(1));
            return services;
          }
        });
  }

  @Override
  public List<Operation> operations(String service) {
    checkOpen();
    return withReader(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT DISTINCT name, kind FROM spans WHERE service = ?")) {
            ps.setString(1, service);
            List<Operation> operations = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                operations.add(new Operation(rs.getString(1), SpanKind.forNumber(rs.getInt(2))));
              }
            }
            operations.sort(null);
            return operations;
          }
        });
  }

  @Override
  public List<DependencyLink> dependencies(long startEpochMillis, long endEpochMillis) {
    checkOpen();
    long from = millisToNanos(startEpochMillis);
    long to = millisToNanos(endEpochMillis);
    if (to <= Long.MAX_VALUE - 999_999) to += 999_999;
    long fromNanos = from;
    long toNanos = to;
    return withReader(
        c -> {
          // DISTINCT keys: a span stored twice (retry after restart) must not count twice
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT p.service, c.service,"
                      + " count(DISTINCT (c.trace_hi, c.trace_lo, c.span_id)),"
                      + " count(DISTINCT CASE WHEN c.status_code = 2"
                      + " THEN (c.trace_hi, c.trace_lo, c.span_id) END)"
                      + " FROM spans c JOIN spans p ON p.trace_hi = c.trace_hi"
                      + " AND p.trace_lo = c.trace_lo AND p.span_id = c.parent_id"
                      + " WHERE c.parent_id <> 0 AND c.start_ns BETWEEN ? AND ?"
                      + " AND p.service <> c.service GROUP BY 1, 2 ORDER BY 1, 2")) {
            ps.setLong(1, fromNanos);
            ps.setLong(2, toNanos);
            List<DependencyLink> links = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                links.add(
                    new DependencyLink(
                        rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
              }
            }
            return links;
          }
        });
  }

  // ---- integrity ----

  @Override
  public void writeIntegrity(List<Finding> findings, List<EdgeStats> edges) {
    checkOpen();
    if (findings.isEmpty() && edges.isEmpty()) return;
    writeLock.lock();
    try {
      checkOpen();
      // before the commit, so no read sees such an id while still trusting the fast match
      for (Finding finding : findings) {
        for (String hex : finding.traceIds()) {
          if (!isCanonicalTraceId(hex)) findingsUnlocatable = true;
        }
      }
      try (DuckDBAppender f = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "findings");
          DuckDBAppender e = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "edge_stats")) {
        for (Finding finding : findings) {
          f.beginRow();
          f.append(finding.timeEpochNanos());
          f.append(finding.kind().wireName());
          f.append(finding.hop().from());
          f.append(finding.hop().to());
          f.append(finding.hop().transport().wireName());
          f.append(finding.blame().wireName());
          f.append(finding.pairing().name());
          f.append(String.join(",", finding.traceIds()));
          f.append(String.join(",", finding.spanIds()));
          f.append(finding.evidence());
          f.append(finding.hint());
          f.endRow();
        }
        for (EdgeStats stats : edges) {
          e.beginRow();
          e.append(stats.bucketStartEpochNanos());
          e.append(stats.bucketNanos());
          e.append(stats.edge().from());
          e.append(stats.edge().to());
          e.append(stats.edge().transport().wireName());
          e.append(stats.edge().destination());
          e.append(stats.intact());
          e.append(stats.broken());
          e.append(encodeByKind(stats.byKind()));
          e.endRow();
        }
        f.flush();
        e.flush();
      }
      writer.commit();
      for (Finding finding : findings) {
        locateFinding(finding.timeEpochNanos(), finding.traceIds());
      }
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw new StorageException(
          "write of " + findings.size() + " findings and " + edges.size() + " edges failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public List<Finding> findings(FindingQuery query) {
    checkOpen();
    StringBuilder sql =
        new StringBuilder(
            "SELECT time_ns, kind, from_service, to_service, transport, blame, pairing,"
                + " trace_ids, span_ids, evidence, hint FROM findings WHERE time_ns BETWEEN ? AND ?");
    List<Object> params = new ArrayList<>();
    params.add(query.startEpochNanos());
    params.add(query.endEpochNanos());
    if (query.kind() != null) {
      sql.append(" AND kind = ?");
      params.add(query.kind().wireName());
    }
    if (query.service() != null) {
      sql.append(" AND (from_service = ? OR to_service = ?)");
      params.add(query.service());
      params.add(query.service());
    }
    if (query.traceId() != null) {
      String windows = findingWindows(List.of(query.traceId()), params);
      if (windows == null) return List.of();
      sql.append(" AND ").append(windows);
      if (findingsUnlocatable) {
        // ids of other lengths are stored: the delimiters make it an exact match of one id
        sql.append(" AND contains(',' || trace_ids || ',', ?)");
        params.add(',' + query.traceId().toHex() + ',');
      } else {
        // every stored id is 32 hex digits, so a 32-digit needle can only match a whole id;
        // half the cost of building the delimited text for every row in the windows
        sql.append(" AND contains(trace_ids, ?)");
        params.add(query.traceId().toHex());
      }
    }
    sql.append(" ORDER BY time_ns DESC, kind, span_ids LIMIT ?");
    params.add(query.limit());
    return withReader(
        c -> {
          {
            PreparedStatement ps = prepared(c, sql.toString());
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            List<Finding> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                FindingKind kind = FindingKind.fromWireName(rs.getString(2));
                if (kind == null) continue; // written by a newer version
                Blame blame = Blame.fromWireName(rs.getString(6));
                Finding.Builder f =
                    Finding.newBuilder()
                        .timeEpochNanos(rs.getLong(1))
                        .kind(kind)
                        .hop(new Hop(rs.getString(3), rs.getString(4), transport(rs.getString(5))))
                        .blame(blame != null ? blame : kind.defaultBlame())
                        .pairing(pairing(rs.getString(7)))
                        .traceIds(splitIds(rs.getString(8)))
                        .spanIds(splitIds(rs.getString(9)))
                        .evidence(rs.getString(10))
                        .hint(rs.getString(11));
                result.add(f.build());
              }
            }
            return result;
          }
        });
  }

  @Override
  public Map<TraceId, Integer> findingCounts(Collection<TraceId> traceIds) {
    checkOpen();
    if (traceIds.isEmpty()) return Map.of();
    Map<String, TraceId> wanted = new HashMap<>();
    for (TraceId id : traceIds) wanted.put(id.toHex(), id);
    List<Object> params = new ArrayList<>();
    String windows = findingWindows(wanted.values(), params);
    if (windows == null) return Map.of();
    // one query for the whole page; the ids go in as one comma-joined parameter, not a list of ?s
    String sql =
        "SELECT t, count(*) FROM (SELECT unnest(list_distinct(string_split(trace_ids, ','))) AS t"
            + " FROM findings WHERE "
            + windows
            + ") WHERE t IN (SELECT unnest(string_split(?, ','))) GROUP BY t";
    return withReader(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setObject(i + 1, params.get(i));
            ps.setString(params.size() + 1, String.join(",", wanted.keySet()));
            Map<TraceId, Integer> counts = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                TraceId id = wanted.get(rs.getString(1));
                if (id != null) counts.put(id, rs.getInt(2));
              }
            }
            return counts;
          }
        });
  }

  @Override
  public List<EdgeStats> edgeStats(long startEpochNanos, long endEpochNanos) {
    checkOpen();
    return withReader(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT bucket_ns, bucket_width_ns, from_service, to_service, transport,"
                      + " destination, intact, broken, by_kind FROM edge_stats"
                      + " WHERE bucket_ns BETWEEN ? AND ?"
                      + " ORDER BY bucket_ns, from_service, to_service, transport, destination")) {
            ps.setLong(1, startEpochNanos);
            ps.setLong(2, endEpochNanos);
            Map<List<Object>, EdgeStats> merged = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Edge edge =
                    new Edge(
                        rs.getString(3),
                        rs.getString(4),
                        transport(rs.getString(5)),
                        rs.getString(6));
                EdgeStats stats =
                    EdgeStats.create(
                        edge,
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(7),
                        rs.getLong(8),
                        decodeByKind(rs.getString(9)));
                merged.merge(List.of(edge, rs.getLong(1)), stats, EdgeStats::plus);
              }
            }
            return new ArrayList<>(merged.values());
          }
        });
  }

  static String encodeByKind(Map<FindingKind, Long> byKind) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<FindingKind, Long> e : byKind.entrySet()) {
      if (b.length() > 0) b.append(',');
      b.append(e.getKey().wireName()).append('=').append(e.getValue());
    }
    return b.toString();
  }

  static Map<FindingKind, Long> decodeByKind(String encoded) {
    Map<FindingKind, Long> byKind = new EnumMap<>(FindingKind.class);
    if (encoded.isEmpty()) return byKind;
    for (String entry : encoded.split(",")) {
      int eq = entry.indexOf('=');
      FindingKind kind = eq < 0 ? null : FindingKind.fromWireName(entry.substring(0, eq));
      if (kind == null) continue; // written by a newer version
      byKind.merge(kind, Long.parseLong(entry.substring(eq + 1)), Long::sum);
    }
    return byKind;
  }

  private static List<String> splitIds(String joined) {
    return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }

  private static Transport transport(String wireName) {
    Transport t = Transport.fromWireName(wireName);
    return t != null ? t : Transport.UNKNOWN;
  }

  private static Pairing pairing(String name) {
    for (Pairing p : Pairing.values()) {
      if (p.name().equals(name)) return p;
    }
    return Pairing.NONE;
  }

  // ---- retention ----

  @Override
  public long deleteOlderThan(Instant cutoff) {
    checkOpen();
    long cutoffNanos = instantToNanos(cutoff);
    writeLock.lock();
    try {
      return deleteBefore(cutoffNanos);
    } finally {
      writeLock.unlock();
    }
  }

  /** Deletes spans starting before {@code cutoffNanos}; caller holds the write lock. */
  private long deleteBefore(long cutoffNanos) {
    try (PreparedStatement spans =
        writer.prepareStatement("DELETE FROM spans WHERE start_ns < ?")) {
      spans.setLong(1, cutoffNanos);
      long deleted = spans.executeLargeUpdate();
      try (PreparedStatement findings =
              writer.prepareStatement("DELETE FROM findings WHERE time_ns < ?");
          PreparedStatement edges =
              writer.prepareStatement("DELETE FROM edge_stats WHERE bucket_ns < ?")) {
        findings.setLong(1, cutoffNanos);
        findings.executeUpdate();
        edges.setLong(1, cutoffNanos);
        edges.executeUpdate();
      }
      writer.commit();
      locator.deleteBefore(cutoffNanos);
      findingLocator.deleteBefore(cutoffNanos);
      return deleted;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StorageException("delete before " + cutoffNanos + "ns failed", e);
    }
  }

  @Override
  public long deleteOldestUntil(long maxBytes) {
    checkOpen();
    writeLock.lock();
    try {
      if (storageBytes() <= maxBytes) return 0; // the common case: no checkpoint needed
      checkpoint(); // measure compressed data, not the write-ahead log
      long deleted = 0;
      for (int round = 0; round < 64; round++) {
        long bytes = storageBytes();
        if (bytes <= maxBytes) break;
        // delete the oldest share of spans proportional to the excess, then measure again
        double excess = Math.min(1.0, (bytes - maxBytes) / (double) bytes);
        Long cutoff = oldestStartQuantile(Math.max(excess, 0.01));
        if (cutoff == null) break;
        deleted += deleteBefore(cutoff == Long.MAX_VALUE ? cutoff : cutoff + 1);
        checkpoint();
        // DuckDB frees a row group's blocks only once it is (nearly) all deleted; a table of a
        // few row groups never gets there, so copy its live rows instead
        if (storageBytes() >= bytes && rowCount() <= SMALL_TABLE_ROWS) rewriteTable();
      }
      return deleted;
    } finally {
      writeLock.unlock();
    }
  }

  private long rowCount() {
    try (Statement st = writer.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM spans")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StorageException("count failed", e);
    }
  }

  private void rewriteTable() {
    try (Statement st = writer.createStatement()) {
      st.execute("DROP TABLE IF EXISTS spans_rewrite");
      st.execute(createSpansTable("spans_rewrite"));
      st.execute("INSERT INTO spans_rewrite SELECT * FROM spans ORDER BY start_ns");
      st.execute("DROP TABLE spans");
      st.execute("ALTER TABLE spans_rewrite RENAME TO spans");
      writer.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StorageException("compaction failed", e);
    }
    checkpoint();
  }

  private Long oldestStartQuantile(double fraction) {
    try (PreparedStatement ps =
        writer.prepareStatement("SELECT quantile_disc(start_ns, ?) FROM spans")) {
      ps.setDouble(1, fraction);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StorageException("retention query failed", e);
    }
  }

  /**
   * Moves the write-ahead log into the compressed database file now, instead of when DuckDB's WAL
   * threshold is reached. Best effort: skipped while a concurrent query holds a transaction.
   */
  public void checkpoint() {
    checkOpen();
    writeLock.lock();
    try (Statement st = writer.createStatement()) {
      writer.commit();
      st.execute("CHECKPOINT");
    } catch (SQLException e) {
      logger.log(Level.FINE, "checkpoint failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public long storageBytes() {
    checkOpen();
    long blocks =
        withReader(
            c -> {
              try (Statement st = c.createStatement();
                  ResultSet rs =
                      st.executeQuery(
                          "SELECT used_blocks * block_size FROM pragma_database_size()"
                              + " WHERE database_name = current_database()")) {
                return rs.next() ? rs.getLong(1) : 0L;
              }
            });
    return blocks + fileSize(Path.of(databaseFile + ".wal"));
  }

  private static long fileSize(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  // ---- lifecycle ----

  @Override
  public void close() {
    if (closed) return;
    writeLock.lock();
    try {
      if (closed) return;
      closed = true;
      commitPending(); // fails whatever is still queued with "store is closed"
      try (Statement st = writer.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        logger.log(Level.FINE, "checkpoint on close failed", e);
      }
      for (DuckDBConnection c : allReaders) closeQuietly(c);
      closeQuietly(writer);
      closeQuietly(root);
    } finally {
      writeLock.unlock();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      logger.log(Level.FINE, "close failed", e);
    }
  }

  private void checkOpen() {
    if (closed) throw new StorageException("store is closed");
  }

  private interface ReadFn<T> {
    T apply(Connection c) throws SQLException;
  }

  /**
   * {@code sql} prepared once per read connection and kept: DuckDB's parse and bind cost about as
   * much as a lookup by trace id itself. Callers must not close it. Only the thread holding {@code
   * c} (taken from {@link #readers}) touches its cache.
   */
  private PreparedStatement prepared(Connection c, String sql) throws SQLException {
    Map<String, PreparedStatement> cache =
        preparedByReader.computeIfAbsent(c, k -> new HashMap<>());
    PreparedStatement ps = cache.get(sql);
    if (ps == null) {
      if (cache.size() >= 64) { // queries built from many filter shapes: keep the cache bounded
        for (PreparedStatement old : cache.values()) old.close();
        cache.clear();
      }
      ps = c.prepareStatement(sql);
      cache.put(sql, ps);
    }
    return ps;
  }

  private <T> T withReader(ReadFn<T> fn) {
    DuckDBConnection c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted waiting for a read connection", e);
    }
    try {
      return fn.apply(c);
    } catch (SQLException e) {
      throw new StorageException("query failed: " + e.getMessage(), e);
    } finally {
      readers.add(c);
    }
  }

  private static long millisToNanos(long epochMillis) {
    if (epochMillis <= 0) return 0;
    return epochMillis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : epochMillis * 1_000_000;
  }

  private static long instantToNanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static final class PendingWrite {
    final List<Row> rows;
    // written under writeLock by the committing thread, read by the owner after it took the lock
    boolean done;
    Throwable failure;

    PendingWrite(List<Row> rows) {
      this.rows = rows;
    }
  }

  /** Configures a {@link DuckDbSpanStore}. */
  public static final class Builder {
    private final Path dataDir;
    private String memoryLimit = "512MB";
    private int threads = 2;
    private int readConnections = 4;
    private int dedupeCacheBits = 18;
    private String checkpointThreshold = "64MB";
    private int locatorChunkSpans = TraceLocator.CHUNK_SPANS;

    Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** DuckDB's memory limit, e.g. {@code "512MB"} (the default) or {@code "2GB"}. */
    public Builder memoryLimit(String memoryLimit) {
      this.memoryLimit = memoryLimit;
      return this;
    }

    /** DuckDB worker threads (default 2). */
    public Builder threads(int threads) {
      if (threads <= 0)
        throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
      this.threads = threads;
      return this;
    }

    /** Connections for concurrent reads (default 4). */
    public Builder readConnections(int readConnections) {
      if (readConnections <= 0) {
        throw new IllegalArgumentException(
            "readConnections: " + readConnections + " (expected: > 0)");
      }
      this.readConnections = readConnections;
      return this;
    }

    /**
     * WAL size at which DuckDB checkpoints into the database file (default {@code "64MB"}).
     * DuckDB's own default (16MB) rewrites partly filled row groups several times, leaving about a
     * quarter of the file as free blocks; 64MB measured none at 1M spans.
     */
    public Builder checkpointThreshold(String checkpointThreshold) {
      this.checkpointThreshold = checkpointThreshold;
      return this;
    }

    /** Spans per trace-locator chunk; tests use small chunks to exercise many. */
    Builder locatorChunkSpans(int locatorChunkSpans) {
      this.locatorChunkSpans = locatorChunkSpans;
      return this;
    }

    /** Opens the store, creating the directory and schema if needed. */
    public DuckDbSpanStore build() {
      try {
        return new DuckDbSpanStore(this);
      } catch (SQLException | IOException e) {
        throw new StorageException(
            "cannot open DuckDB store in " + dataDir + ": " + e.getMessage(), e);
      }
    }
  }
}
