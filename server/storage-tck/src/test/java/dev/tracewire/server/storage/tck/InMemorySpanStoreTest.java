package dev.tracewire.server.storage.tck;

import dev.tracewire.server.storage.InMemorySpanStore;
import dev.tracewire.server.storage.SpanStore;

/** The in-memory backend passes the suite (it lives here because storage cannot see the TCK). */
class InMemorySpanStoreTest extends SpanStoreSuite {
  @Override
  protected SpanStore newStore() {
    return InMemorySpanStore.create();
  }
}
