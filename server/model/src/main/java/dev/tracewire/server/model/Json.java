package dev.tracewire.server.model;

import java.util.List;

/** Compact JSON rendering of nested attribute values for {@link AttributeValue#asString()}. */
final class Json {
  static void writeValue(AttributeValue v, StringBuilder b) {
    switch (v.type()) {
      case STRING, BYTES -> writeString(v.asString(), b);
      case BOOL, LONG -> b.append(v.asString());
      case DOUBLE -> {
        double d = ((AttributeValue.DoubleValue) v).value();
        if (Double.isFinite(d)) b.append(d);
        else writeString(Double.toString(d), b);
      }
      case ARRAY -> writeArray(((AttributeValue.ArrayValue) v).values(), b);
      case KVLIST -> writeObject(((AttributeValue.KeyValueListValue) v).values(), b);
      case EMPTY -> b.append("null");
    }
  }

  static void writeArray(List<AttributeValue> values, StringBuilder b) {
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) b.append(',');
      writeValue(values.get(i), b);
    }
    b.append(']');
  }

  static void writeObject(Attributes values, StringBuilder b) {
    b.append('{');
    List<Attribute> list = values.asList();
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) b.append(',');
      writeString(list.get(i).key(), b);
      b.append(':');
      writeValue(list.get(i).value(), b);
    }
    b.append('}');
  }

  static void writeString(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    b.append('"');
  }

  private Json() {}
}
