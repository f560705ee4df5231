package dev.tracewire.server.storage.duckdb;

import dev.tracewire.server.storage.tck.RealisticLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures bytes per span on disk: writes realistic load through the store, closes it (which
 * checkpoints the WAL into the database file) and divides the data directory's size by the span
 * count. Run: {@code java -cp <test classpath> dev.tracewire.server.storage.duckdb.SpanSizeReport
 * 1000000}.
 */
final class SpanSizeReport {
  public static void main(String[] args) throws IOException {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Path dir = Files.createTempDirectory("tracewire-size");
    try {
      System.out.println(measure(dir, spans));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String measure(Path dir, int spans) throws IOException {
    AtomicLong written = new AtomicLong();
    long startNanos = System.nanoTime();
    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      RealisticLoad.create(42)
          .generate(
              spans,
              batch -> {
                store.write(batch);
                written.addAndGet(batch.size());
              });
    }
    long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    long bytes = directoryBytes(dir);
    return String.format(
        "spans=%d dirBytes=%d bytesPerSpan=%.1f writeMillis=%d",
        written.get(), bytes, bytes / (double) written.get(), elapsedMillis);
  }

  static long directoryBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private SpanSizeReport() {}
}
