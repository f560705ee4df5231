package dev.tracewire.server.model;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable, ordered list of attributes as the SDK sent them (order and, should an SDK send
 * them, duplicate keys are kept).
 *
 * <p>{@code Attributes a = Attributes.newBuilder().put("http.method",
 * "GET").put("http.status_code", 200).build();}
 */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(List.of());

  private final List<Attribute> list;

  private Attributes(List<Attribute> list) {
    this.list = list;
  }

  /** The empty list. */
  public static Attributes empty() {
    return EMPTY;
  }

  /** Returns attributes holding a copy of {@code list}. */
  public static Attributes of(List<Attribute> list) {
    return list.isEmpty() ? EMPTY : new Attributes(List.copyOf(list));
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** The attributes, in the order sent. */
  public List<Attribute> asList() {
    return list;
  }

  public int size() {
    return list.size();
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** The first value under {@code key}, or {@code null}. */
  public AttributeValue get(String key) {
    for (Attribute a : list) {
      if (a.key().equals(key)) return a.value();
    }
    return null;
  }

  /** The first value under {@code key} rendered by {@link AttributeValue#asString()}, or null. */
  public String getString(String key) {
    AttributeValue v = get(key);
    return v == null ? null : v.asString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes other && list.equals(other.list);
  }

  @Override
  public int hashCode() {
    return list.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    Json.writeObject(this, b);
    return b.toString();
  }

  /** Builds {@link Attributes}; not thread-safe. */
  public static final class Builder {
    private final List<Attribute> list = new ArrayList<>();

    Builder() {}

    public Builder put(String key, AttributeValue value) {
      list.add(new Attribute(key, value));
      return this;
    }

    public Builder put(String key, String value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, boolean value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, long value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, double value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder putAll(Attributes attributes) {
      list.addAll(attributes.list);
      return this;
    }

    public int size() {
      return list.size();
    }

    public Attributes build() {
      return of(list);
    }
  }
}
