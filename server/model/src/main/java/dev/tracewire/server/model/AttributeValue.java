package dev.tracewire.server.model;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An attribute value of any OTLP {@code AnyValue} type: string, bool, long, double, bytes, array,
 * key-value list, or empty.
 *
 * <p>{@code AttributeValue v = AttributeValue.of("GET");}
 */
public sealed interface AttributeValue
    permits AttributeValue.StringValue,
        AttributeValue.BoolValue,
        AttributeValue.LongValue,
        AttributeValue.DoubleValue,
        AttributeValue.BytesValue,
        AttributeValue.ArrayValue,
        AttributeValue.KeyValueListValue,
        AttributeValue.EmptyValue {

  /** The value's type; stable names, used by storage encodings. */
  enum Type {
    EMPTY,
    STRING,
    BOOL,
    LONG,
    DOUBLE,
    BYTES,
    ARRAY,
    KVLIST
  }

  /** This value's type. */
  Type type();

  /**
   * A plain rendering used for tag search and display: strings as-is, numbers and bools as Java
   * prints them, bytes as base64, arrays and lists as compact JSON.
   */
  String asString();

  static AttributeValue of(String value) {
    return new StringValue(value);
  }

  static AttributeValue of(boolean value) {
    return value ? BoolValue.TRUE : BoolValue.FALSE;
  }

  static AttributeValue of(long value) {
    return new LongValue(value);
  }

  static AttributeValue of(double value) {
    return new DoubleValue(value);
  }

  static AttributeValue of(byte[] value) {
    return new BytesValue(value);
  }

  static AttributeValue ofArray(List<AttributeValue> values) {
    return new ArrayValue(values);
  }

  static AttributeValue ofKeyValueList(Attributes values) {
    return new KeyValueListValue(values);
  }

  static AttributeValue empty() {
    return EmptyValue.INSTANCE;
  }

  /** A string value. */
  record StringValue(String value) implements AttributeValue {
    public StringValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public Type type() {
      return Type.STRING;
    }

    @Override
    public String asString() {
      return value;
    }
  }

  /** A boolean value. */
  record BoolValue(boolean value) implements AttributeValue {
    static final BoolValue TRUE = new BoolValue(true);
    static final BoolValue FALSE = new BoolValue(false);

    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public String asString() {
      return Boolean.toString(value);
    }
  }

  /** A 64-bit integer value. */
  record LongValue(long value) implements AttributeValue {
    @Override
    public Type type() {
      return Type.LONG;
    }

    @Override
    public String asString() {
      return Long.toString(value);
    }
  }

  /** A double value. */
  record DoubleValue(double value) implements AttributeValue {
    @Override
    public Type type() {
      return Type.DOUBLE;
    }

    @Override
    public String asString() {
      return Double.toString(value);
    }
  }

  /** A bytes value; the array is copied in and out. */
  record BytesValue(byte[] value) implements AttributeValue {
    public BytesValue {
      value = Objects.requireNonNull(value, "value").clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public Type type() {
      return Type.BYTES;
    }

    @Override
    public String asString() {
      return Base64.getEncoder().encodeToString(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BytesValue b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "BytesValue[" + asString() + "]";
    }
  }

  /** An array of values (OTLP allows mixed types). */
  record ArrayValue(List<AttributeValue> values) implements AttributeValue {
    public ArrayValue {
      values = List.copyOf(values);
    }

    @Override
    public Type type() {
      return Type.ARRAY;
    }

    @Override
    public String asString() {
      StringBuilder b = new StringBuilder();
      Json.writeArray(values, b);
      return b.toString();
    }
  }

  /** A nested key-value list. */
  record KeyValueListValue(Attributes values) implements AttributeValue {
    public KeyValueListValue {
      Objects.requireNonNull(values, "values");
    }

    @Override
    public Type type() {
      return Type.KVLIST;
    }

    @Override
    public String asString() {
      StringBuilder b = new StringBuilder();
      Json.writeObject(values, b);
      return b.toString();
    }
  }

  /** An {@code AnyValue} with no value set; kept so nothing an SDK sent disappears. */
  record EmptyValue() implements AttributeValue {
    static final EmptyValue INSTANCE = new EmptyValue();

    @Override
    public Type type() {
      return Type.EMPTY;
    }

    @Override
    public String asString() {
      return "";
    }
  }
}
