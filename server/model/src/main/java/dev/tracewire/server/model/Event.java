package dev.tracewire.server.model;

import java.util.Objects;

/** A timed event on a span (a Zipkin annotation becomes one with no attributes). */
public record Event(
    long epochNanos, String name, Attributes attributes, int droppedAttributesCount) {
  public Event {
    name = name == null ? "" : name;
    attributes = attributes == null ? Attributes.empty() : attributes;
  }

  public static Event create(long epochNanos, String name, Attributes attributes) {
    return new Event(epochNanos, name, attributes, 0);
  }

  @Override
  public String toString() {
    return "Event{" + epochNanos + ", " + Objects.toString(name) + ", " + attributes + "}";
  }
}
