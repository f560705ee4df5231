package dev.tracewire.server.model;

import java.util.Objects;

/** One key and its value. */
public record Attribute(String key, AttributeValue value) {
  public Attribute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
