package dev.tracewire.server.storage;

import dev.tracewire.server.model.SpanKind;
import java.util.Comparator;
import java.util.Objects;

/** A span name a service records, with the span kind it records it under. */
public record Operation(String name, SpanKind kind) implements Comparable<Operation> {
  private static final Comparator<Operation> ORDER =
      Comparator.comparing(Operation::name).thenComparing(Operation::kind);

  public Operation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  @Override
  public int compareTo(Operation o) {
    return ORDER.compare(this, o);
  }
}
