package dev.tracewire.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A tracestate read under the current W3C key grammar, which OpenTelemetry's own {@link TraceState}
 * builder rejects parts of (e.g. {@code foo@} or a 242-character tenant): it keeps members in
 * header order and encodes them back unchanged.
 */
final class W3CTraceState implements TraceState {
  static final int MAX_MEMBERS = 32;
  static final int MAX_KEY_LENGTH = 256;
  static final int MAX_VALUE_LENGTH = 256;

  private static final int INVALID = -1;

  /** key, value, key, value … in header order. */
  private final String[] entries;

  private String encoded; // lazily; benign race

  private W3CTraceState(String[] entries) {
    this.entries = entries;
  }

  /**
   * Joins every {@code tracestate} header in order and parses the result. Returns the default
   * (empty) state when the list is invalid or has more than 32 members; a duplicate key keeps its
   * first member.
   */
  static <C> TraceState read(C carrier, TextMapGetter<C> getter) {
    Iterator<String> values = getter.getAll(carrier, TraceContextCodec.TRACESTATE);
    if (values == null) return TraceState.getDefault();
    String[] entries = null;
    int size = 0;
    while (values.hasNext()) {
      String value = values.next();
      if (value == null || value.isEmpty()) continue;
      if (entries == null) entries = new String[MAX_MEMBERS * 2];
      size = parseInto(value, entries, size);
      if (size == INVALID) return TraceState.getDefault();
    }
    if (size == 0) return TraceState.getDefault();
    return new W3CTraceState(Arrays.copyOf(entries, size));
  }

  /** Parses a tracestate value; {@code null} result means empty or invalid. For tests and tools. */
  static TraceState parse(String value) {
    String[] entries = new String[MAX_MEMBERS * 2];
    int size = parseInto(value, entries, 0);
    if (size <= 0) return TraceState.getDefault();
    return new W3CTraceState(Arrays.copyOf(entries, size));
  }

  /** Appends the members of {@code s} to {@code entries}; returns the new size or INVALID. */
  private static int parseInto(String s, String[] entries, int size) {
    int length = s.length();
    int begin = 0;
    while (begin <= length) {
      int comma = s.indexOf(',', begin);
      if (comma < 0) comma = length;
      int b = Formats.trimStart(s, begin, comma);
      int e = Formats.trimEnd(s, b, comma);
      begin = comma + 1;
      // empty and whitespace-only members are allowed
      if (b == e) continue;
      int eq = s.indexOf('=', b);
      if (eq < 0 || eq >= e) return INVALID;
      if (!isKey(s, b, eq) || !isValue(s, eq + 1, e)) return INVALID;
      if (indexOfKey(entries, size, s, b, eq) >= 0) continue; // keep the first
      if (size == MAX_MEMBERS * 2) return INVALID;
      entries[size++] = s.substring(b, eq);
      entries[size++] = s.substring(eq + 1, e);
    }
    return size;
  }

  private static int indexOfKey(String[] entries, int size, String s, int b, int e) {
    int length = e - b;
    for (int i = 0; i < size; i += 2) {
      String key = entries[i];
      if (key.length() == length && s.regionMatches(b, key, 0, length)) return i;
    }
    return -1;
  }

  /** key = ( lcalpha / DIGIT ) 0*255 ( keychar ); keychar adds _ - * / @. */
  static boolean isKey(CharSequence s, int b, int e) {
    int length = e - b;
    if (length < 1 || length > MAX_KEY_LENGTH) return false;
    char first = s.charAt(b);
    if (!(isLcAlpha(first) || isDigit(first))) return false;
    for (int i = b + 1; i < e; i++) {
      char c = s.charAt(i);
      if (!(isLcAlpha(c)
          || isDigit(c)
          || c == '_'
          || c == '-'
          || c == '*'
          || c == '/'
          || c == '@')) {
        return false;
      }
    }
    return true;
  }

  /** value = 0*255(chr) nblk-chr; chr is 0x20-0x7E except ',' and '='. */
  static boolean isValue(CharSequence s, int b, int e) {
    int length = e - b;
    if (length < 1 || length > MAX_VALUE_LENGTH) return false;
    for (int i = b; i < e; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
    }
    return s.charAt(e - 1) != ' ';
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Encodes any trace state as a tracestate header value. */
  static String encode(TraceState traceState) {
    if (traceState instanceof W3CTraceState) return ((W3CTraceState) traceState).encoded();
    StringBuilder result = new StringBuilder(64);
    traceState.forEach(
        (key, value) -> {
          if (result.length() > 0) result.append(',');
          result.append(key).append('=').append(value);
        });
    return result.toString();
  }

  private String encoded() {
    String result = encoded;
    if (result != null) return result;
    int length = entries.length; // '=' and ',' together
    for (String entry : entries) length += entry.length();
    StringBuilder builder = new StringBuilder(length);
    for (int i = 0; i < entries.length; i += 2) {
      if (i > 0) builder.append(',');
      builder.append(entries[i]).append('=').append(entries[i + 1]);
    }
    return encoded = builder.toString();
  }

  @Override
  public String get(String key) {
    if (key == null) return null;
    for (int i = 0; i < entries.length; i += 2) {
      if (entries[i].equals(key)) return entries[i + 1];
    }
    return null;
  }

  @Override
  public int size() {
    return entries.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return entries.length == 0;
  }

  @Override
  public void forEach(BiConsumer<String, String> consumer) {
    for (int i = 0; i < entries.length; i += 2) consumer.accept(entries[i], entries[i + 1]);
  }

  @Override
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  /**
   * Returns OpenTelemetry's builder seeded with these members; members its older key grammar
   * rejects are dropped there, which only happens when a sampler or user edits the state.
   */
  @Override
  public TraceStateBuilder toBuilder() {
    TraceStateBuilder builder = TraceState.builder();
    // OpenTelemetry's builder puts new members first: add ours last to first
    for (int i = entries.length - 2; i >= 0; i -= 2) builder.put(entries[i], entries[i + 1]);
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) return true;
    if (!(o instanceof TraceState)) return false;
    TraceState that = (TraceState) o;
    return that.size() == size() && asMap().equals(that.asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return "W3CTraceState{" + encoded() + "}";
  }
}
