package dev.tracewire.server.storage.duckdb;

import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Text encodings of the nested parts of a span (attributes, resource, scope, events, links) for
 * VARCHAR columns. Text, not a binary blob, because DuckDB dictionary- and FSST-compresses VARCHAR
 * and can search it with {@code contains} for tag queries.
 *
 * <p>Attributes encode as {@code RS (key US typedValue RS)*}; a tag query becomes the needle {@code
 * RS key US typedValue RS}, which can only match a whole entry because separators inside keys and
 * values are escaped. Typed values start with one letter: {@code s} string, {@code b} bool, {@code
 * l} long, {@code d} double, {@code x} bytes (base64), {@code e} empty, {@code a} array and {@code
 * k} key-value list (both holding an escaped nested encoding).
 */
final class SpanCodec {
  static final char ESC = '\u001b';
  static final char FS = '\u001c'; // between events or links
  static final char GS = '\u001d'; // between fields of a resource, scope, event or link
  static final char RS = '\u001e'; // after each attribute (and before the first)
  static final char US = '\u001f'; // between an attribute's key and value

  // ---- attributes ----

  /** Returns null for no attributes, so the column stores a cheap NULL. */
  static String encodeAttributes(Attributes attributes) {
    if (attributes.isEmpty()) return null;
    StringBuilder b = new StringBuilder(attributes.size() * 24);
    writeAttributes(attributes, b);
    return b.toString();
  }

  static Attributes decodeAttributes(String s) {
    if (s == null || s.isEmpty()) return Attributes.empty();
    return readAttributes(s, 0, s.length());
  }

  private static void writeAttributes(Attributes attributes, StringBuilder b) {
    b.append(RS);
    for (Attribute a : attributes.asList()) {
      escape(a.key(), b);
      b.append(US);
      writeValue(a.value(), b);
      b.append(RS);
    }
  }

  private static Attributes readAttributes(String s, int begin, int end) {
    Attributes.Builder builder = Attributes.newBuilder();
    int i = begin;
    if (i < end && s.charAt(i) == RS) i++;
    while (i < end) {
      int us = s.indexOf(US, i);
      int rs = s.indexOf(RS, i);
      if (rs < 0 || rs > end) rs = end;
      if (us < 0 || us > rs) throw new IllegalStateException("corrupt attributes at " + i);
      builder.put(unescape(s, i, us), readValue(s, us + 1, rs));
      i = rs + 1;
    }
    return builder.build();
  }

  private static void writeValue(AttributeValue v, StringBuilder b) {
    switch (v.type()) {
      case STRING -> {
        b.append('s');
        escape(v.asString(), b);
      }
      case BOOL -> b.append('b').append(v.asString());
      // appended as a number: no temporary String for the most common non-text value
      case LONG -> b.append('l').append(((AttributeValue.LongValue) v).value());
      case DOUBLE -> b.append('d').append(v.asString());
      case BYTES -> b.append('x').append(v.asString());
      case EMPTY -> b.append('e');
      case ARRAY -> {
        StringBuilder inner = new StringBuilder();
        for (AttributeValue element : ((AttributeValue.ArrayValue) v).values()) {
          writeValue(element, inner);
          inner.append(RS);
        }
        b.append('a');
        escape(inner, b);
      }
      case KVLIST -> {
        StringBuilder inner = new StringBuilder();
        writeAttributes(((AttributeValue.KeyValueListValue) v).values(), inner);
        b.append('k');
        escape(inner, b);
      }
    }
  }

  private static AttributeValue readValue(String s, int begin, int end) {
    char type = s.charAt(begin);
    String text = s.substring(begin + 1, end);
    return switch (type) {
      case 's' -> AttributeValue.of(unescape(s, begin + 1, end));
      case 'b' -> AttributeValue.of(text.equals("true"));
      case 'l' -> AttributeValue.of(Long.parseLong(text));
      case 'd' -> AttributeValue.of(Double.parseDouble(text));
      case 'x' -> AttributeValue.of(Base64.getDecoder().decode(text));
      case 'e' -> AttributeValue.empty();
      case 'a' -> {
        String inner = unescape(s, begin + 1, end);
        List<AttributeValue> values = new ArrayList<>();
        int i = 0;
        while (i < inner.length()) {
          int rs = inner.indexOf(RS, i);
          values.add(readValue(inner, i, rs));
          i = rs + 1;
        }
        yield AttributeValue.ofArray(values);
      }
      case 'k' -> {
        String inner = unescape(s, begin + 1, end);
        yield AttributeValue.ofKeyValueList(readAttributes(inner, 0, inner.length()));
      }
      default -> throw new IllegalStateException("corrupt attribute type " + type);
    };
  }

  /**
   * Needles that find attribute {@code key} with a scalar value rendering as {@code value} in an
   * encoded attributes column; one per type the text could be.
   */
  static List<String> tagNeedles(String key, String value) {
    List<String> needles = new ArrayList<>(2);
    StringBuilder prefix = new StringBuilder().append(RS);
    escape(key, prefix);
    prefix.append(US);
    StringBuilder s = new StringBuilder(prefix).append('s');
    escape(value, s);
    needles.add(s.append(RS).toString());
    if (value.equals("true") || value.equals("false")) {
      needles.add(prefix + "b" + value + RS);
    }
    if (isCanonicalLong(value)) needles.add(prefix + "l" + value + RS);
    if (isCanonicalDouble(value)) needles.add(prefix + "d" + value + RS);
    return needles;
  }

  private static boolean isCanonicalLong(String v) {
    if (v.isEmpty() || v.length() > 20) return false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-')) return false;
    }
    try {
      return Long.toString(Long.parseLong(v)).equals(v);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isCanonicalDouble(String v) {
    if (v.isEmpty() || v.length() > 32) return false;
    try {
      return Double.toString(Double.parseDouble(v)).equals(v);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // ---- resource and scope ----

  static String encodeResource(Resource r) {
    StringBuilder b = new StringBuilder();
    b.append(r.droppedAttributesCount()).append(GS);
    escape(r.schemaUrl(), b);
    b.append(GS);
    if (!r.attributes().isEmpty()) writeAttributes(r.attributes(), b);
    return b.toString();
  }

  static Resource decodeResource(String s) {
    if (s == null) return Resource.empty();
    int g1 = s.indexOf(GS);
    int g2 = s.indexOf(GS, g1 + 1);
    return new Resource(
        readAttributes(s, g2 + 1, s.length()),
        Integer.parseInt(s.substring(0, g1)),
        unescape(s, g1 + 1, g2));
  }

  static String encodeScope(InstrumentationScope scope) {
    StringBuilder b = new StringBuilder();
    escape(scope.name(), b);
    b.append(GS);
    escape(scope.version(), b);
    b.append(GS).append(scope.droppedAttributesCount()).append(GS);
    escape(scope.schemaUrl(), b);
    b.append(GS);
    if (!scope.attributes().isEmpty()) writeAttributes(scope.attributes(), b);
    return b.toString();
  }

  static InstrumentationScope decodeScope(String s) {
    if (s == null) return InstrumentationScope.empty();
    int[] g = gs(s, 0, s.length(), 4);
    return new InstrumentationScope(
        unescape(s, 0, g[0]),
        unescape(s, g[0] + 1, g[1]),
        readAttributes(s, g[3] + 1, s.length()),
        Integer.parseInt(s.substring(g[1] + 1, g[2])),
        unescape(s, g[2] + 1, g[3]));
  }

  // ---- events and links ----

  /** Event times are stored relative to the span's start: small numbers compress well. */
  static String encodeEvents(List<Event> events, long spanStart) {
    if (events.isEmpty()) return null;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      if (i > 0) b.append(FS);
      b.append(e.epochNanos() - spanStart).append(GS);
      escape(e.name(), b);
      b.append(GS).append(e.droppedAttributesCount()).append(GS);
      if (!e.attributes().isEmpty()) writeAttributes(e.attributes(), b);
    }
    return b.toString();
  }

  static List<Event> decodeEvents(String s, long spanStart) {
    if (s == null || s.isEmpty()) return List.of();
    List<Event> events = new ArrayList<>();
    int i = 0;
    while (i <= s.length()) {
      int end = s.indexOf(FS, i);
      if (end < 0) end = s.length();
      int[] g = gs(s, i, end, 3);
      events.add(
          new Event(
              spanStart + Long.parseLong(s.substring(i, g[0])),
              unescape(s, g[0] + 1, g[1]),
              readAttributes(s, g[2] + 1, end),
              Integer.parseInt(s.substring(g[1] + 1, g[2]))));
      i = end + 1;
    }
    return events;
  }

  static String encodeLinks(List<Link> links) {
    if (links.isEmpty()) return null;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < links.size(); i++) {
      Link l = links.get(i);
      if (i > 0) b.append(FS);
      b.append(l.traceId().toHex()).append(GS).append(l.spanIdHex()).append(GS);
      escape(l.traceState(), b);
      b.append(GS).append(l.flags()).append(GS).append(l.droppedAttributesCount()).append(GS);
      if (!l.attributes().isEmpty()) writeAttributes(l.attributes(), b);
    }
    return b.toString();
  }

  static List<Link> decodeLinks(String s) {
    if (s == null || s.isEmpty()) return List.of();
    List<Link> links = new ArrayList<>();
    int i = 0;
    while (i <= s.length()) {
      int end = s.indexOf(FS, i);
      if (end < 0) end = s.length();
      int[] g = gs(s, i, end, 5);
      links.add(
          new Link(
              TraceId.fromHex(s.substring(i, g[0])),
              SpanId.fromHex(s.substring(g[0] + 1, g[1])),
              unescape(s, g[1] + 1, g[2]),
              readAttributes(s, g[4] + 1, end),
              Integer.parseInt(s.substring(g[2] + 1, g[3])),
              Integer.parseInt(s.substring(g[3] + 1, g[4]))));
      i = end + 1;
    }
    return links;
  }

  // ---- escaping ----

  /** Positions of the first {@code n} group separators in {@code [begin, end)}. */
  private static int[] gs(String s, int begin, int end, int n) {
    int[] positions = new int[n];
    int from = begin;
    for (int k = 0; k < n; k++) {
      int p = s.indexOf(GS, from);
      if (p < 0 || p > end) throw new IllegalStateException("corrupt record at " + begin);
      positions[k] = p;
      from = p + 1;
    }
    return positions;
  }

  /** Escapes NUL and the separator range so encoded text never holds a raw separator. */
  static void escape(CharSequence s, StringBuilder b) {
    int n = s.length();
    int i = 0;
    while (i < n && !needsEscape(s.charAt(i))) i++;
    // almost no text holds a control character: copy it whole (an intrinsic), not char by char
    b.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (needsEscape(c)) b.append(ESC).append((char) (c + 0x40));
      else b.append(c);
    }
  }

  private static boolean needsEscape(char c) {
    return c == 0 || (c >= ESC && c <= US);
  }

  static String unescape(String s, int begin, int end) {
    int esc = s.indexOf(ESC, begin);
    if (esc < 0 || esc >= end) return s.substring(begin, end);
    StringBuilder b = new StringBuilder(end - begin);
    for (int i = begin; i < end; i++) {
      char c = s.charAt(i);
      if (c == ESC && i + 1 < end) b.append((char) (s.charAt(++i) - 0x40));
      else b.append(c);
    }
    return b.toString();
  }

  private SpanCodec() {}
}
