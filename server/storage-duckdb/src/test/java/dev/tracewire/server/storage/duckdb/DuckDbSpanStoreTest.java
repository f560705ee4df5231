package dev.tracewire.server.storage.duckdb;

import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.tck.SpanStoreSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DuckDbSpanStoreTest extends SpanStoreSuite {
  @TempDir Path dir;

  @Override
  protected SpanStore newStore() {
    // tiny locator chunks, so lookups by id cross many chunks and false-positive windows
    return DuckDbSpanStore.newBuilder(dir).memoryLimit("256MB").locatorChunkSpans(16).build();
  }

  @Override
  protected void compact() {
    ((DuckDbSpanStore) store).checkpoint();
  }
}
