package dev.tracewire.instrumentation.outbox;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored form of a trace context: one {@code name: value} line per propagation field, e.g.
 * {@code traceparent: 00-…-01\nbaggage: tenant=acme}. Text, so it fits any {@code TEXT}/{@code
 * VARCHAR} column and reads well in a SQL console.
 */
final class OutboxContext {
  static final Carrier CARRIER = new Carrier();

  static String encode(Map<String, String> fields) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String name = field.getKey();
      String value = field.getValue();
      // header names and values hold no line breaks; one that does is not ours to store
      if (name.indexOf(':') >= 0 || hasLineBreak(name) || hasLineBreak(value)) continue;
      text.append(name).append(": ").append(value).append('\n');
    }
    return text.toString();
  }

  /** Never throws: lines without a colon are skipped. */
  static Map<String, String> decode(CharSequence text) {
    if (text == null || text.length() == 0) return Collections.emptyMap();
    Map<String, String> fields = new LinkedHashMap<>();
    int length = text.length();
    int lineStart = 0;
    while (lineStart < length) {
      int lineEnd = lineStart;
      int colon = -1;
      while (lineEnd < length && text.charAt(lineEnd) != '\n') {
        if (colon < 0 && text.charAt(lineEnd) == ':') colon = lineEnd;
        lineEnd++;
      }
      if (colon > lineStart) {
        int valueStart = colon + 1;
        if (valueStart < lineEnd && text.charAt(valueStart) == ' ') valueStart++;
        int valueEnd = lineEnd;
        if (valueEnd > valueStart && text.charAt(valueEnd - 1) == '\r') valueEnd--;
        fields.putIfAbsent(
            text.subSequence(lineStart, colon).toString(),
            text.subSequence(valueStart, valueEnd).toString());
      }
      lineStart = lineEnd + 1;
    }
    return fields;
  }

  private static boolean hasLineBreak(String s) {
    return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
  }

  static final class Carrier
      implements TextMapGetter<Map<String, String>>, TextMapSetter<Map<String, String>> {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }

    @Override
    public void set(Map<String, String> carrier, String key, String value) {
      if (carrier != null) carrier.put(key, value);
    }
  }

  private OutboxContext() {}
}
