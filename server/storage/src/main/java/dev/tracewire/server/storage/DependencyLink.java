package dev.tracewire.server.storage;

import java.util.Objects;

/**
 * An edge of the service map: {@code parent} called {@code child} {@code callCount} times, of which
 * {@code errorCount} child spans had status ERROR.
 */
public record DependencyLink(String parent, String child, long callCount, long errorCount) {
  public DependencyLink {
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(child, "child");
  }
}
