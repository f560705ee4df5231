package dev.tracewire.server.storage.duckdb;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.storage.tck.RealisticLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures bytes per span on disk: {@link RealisticLoad} export batches go through the store from
 * {@code writers} concurrent threads (as five services' exporters would send them), the store is
 * closed (which checkpoints the WAL into the database file), and the data directory's size is
 * divided by the span count. Also prints the used-block share, which excludes free blocks DuckDB
 * keeps in the file for reuse. Run: {@code java -cp <test classpath>
 * dev.tracewire.server.storage.duckdb.SpanSizeReport 1000000 5}.
 */
final class SpanSizeReport {
  private static final List<Span> POISON = List.of();

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("tracewire-size");
    try {
      System.out.println(measure(dir, spans, writers));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String measure(Path dir, int spans, int writers) throws Exception {
    AtomicLong written = new AtomicLong();
    long startNanos = System.nanoTime();
    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      BlockingQueue<List<Span>> queue = new ArrayBlockingQueue<>(writers * 2);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (List<Span> batch; (batch = queue.take()) != POISON; ) {
                      store.write(batch);
                      written.addAndGet(batch.size());
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        threads.add(t);
      }
      RealisticLoad.create(42).generate(spans, batch -> put(queue, batch));
      for (int i = 0; i < writers; i++) put(queue, POISON);
      for (Thread t : threads) t.join();
    }
    long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    long bytes = directoryBytes(dir);
    long usedBytes = usedBytes(dir.resolve(DuckDbSpanStore.DATABASE_FILE));
    return String.format(
        "spans=%d writers=%d fileBytes=%d bytesPerSpan=%.1f usedBlockBytesPerSpan=%.1f"
            + " writeMillis=%d",
        written.get(),
        writers,
        bytes,
        bytes / (double) written.get(),
        usedBytes / (double) written.get(),
        elapsedMillis);
  }

  private static void put(BlockingQueue<List<Span>> queue, List<Span> batch) {
    try {
      queue.put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static long usedBytes(Path databaseFile) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + databaseFile);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT used_blocks * block_size FROM pragma_database_size()"
                    + " WHERE database_name = current_database()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private SpanSizeReport() {}
}
