package dev.tracewire.cli;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Request headers in arrival order: names compare case-insensitively and a repeated header keeps
 * every value, so the propagator sees what an HTTP server would hand it.
 */
final class HeaderLines {
  /** Reads {@link HeaderLines} for a propagator; {@code get} is the first value of a name. */
  static final TextMapGetter<HeaderLines> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HeaderLines carrier) {
          return carrier.names();
        }

        @Override
        public String get(HeaderLines carrier, String key) {
          if (carrier == null || key == null) return null;
          for (int i = 0; i < carrier.names.size(); i++) {
            if (carrier.names.get(i).equalsIgnoreCase(key)) return carrier.values.get(i);
          }
          return null;
        }

        @Override
        public Iterator<String> getAll(HeaderLines carrier, String key) {
          if (carrier == null || key == null) return Collections.emptyIterator();
          return carrier.all(key).iterator();
        }
      };

  private final List<String> names = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  private HeaderLines() {}

  static HeaderLines empty() {
    return new HeaderLines();
  }

  /** Copies headers as a JDK HTTP server or client keeps them: name to values in arrival order. */
  static HeaderLines of(Map<String, List<String>> headers) {
    HeaderLines result = new HeaderLines();
    headers.forEach(
        (name, values) -> {
          if (name == null || values == null) return; // the JDK puts a status line under null
          for (String value : values) result.add(name, value);
        });
    return result;
  }

  /**
   * Parses {@code Name: value} lines; blank lines are skipped and SP/HTAB around a value dropped,
   * as an HTTP server would.
   *
   * @param what how the error message names an entry: {@code "line"} or {@code "argument"}
   * @throws IllegalArgumentException naming the entry's number and what was wrong
   */
  static HeaderLines parse(List<String> lines, String what) {
    HeaderLines result = new HeaderLines();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      // tolerate CRLF input pasted from a wire dump
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      if (line.isBlank()) continue;
      String problem = problem(line);
      if (problem != null) {
        throw new IllegalArgumentException(what + " " + (i + 1) + ": " + problem);
      }
      int colon = line.indexOf(':');
      result.add(line.substring(0, colon), trimOws(line.substring(colon + 1)));
    }
    return result;
  }

  /** Returns why {@code line} is not a header line, or {@code null} when it is one. */
  private static String problem(String line) {
    int colon = line.indexOf(':');
    if (colon < 0) return "no colon in " + quote(line) + " (expected: Name: value)";
    if (colon == 0) return "empty header name in " + quote(line) + " (expected: Name: value)";
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (!isTokenChar(c)) {
        return "invalid character "
            + describe(c)
            + " in header name "
            + quote(line.substring(0, colon))
            + " (expected: letters, digits or !#$%&'*+-.^_`|~)";
      }
    }
    for (int i = colon + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return "control character "
            + describe(c)
            + " in the value of "
            + quote(line.substring(0, colon))
            + " (expected: visible characters, SP or HTAB)";
      }
    }
    return null;
  }

  // RFC 9110 token: what a header name may be made of
  private static boolean isTokenChar(char c) {
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
    return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static String describe(char c) {
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length() && i < 60; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > 60) b.append("...");
    return b.append('"').toString();
  }

  private static String trimOws(String s) {
    int begin = 0;
    int end = s.length();
    while (begin < end && (s.charAt(begin) == ' ' || s.charAt(begin) == '\t')) begin++;
    while (end > begin && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) end--;
    return s.substring(begin, end);
  }

  void add(String name, String value) {
    names.add(name);
    values.add(value);
  }

  int size() {
    return names.size();
  }

  String name(int i) {
    return names.get(i);
  }

  String value(int i) {
    return values.get(i);
  }

  /** Distinct names in first-arrival order, lower case. */
  Set<String> names() {
    Set<String> result = new LinkedHashSet<>();
    for (String name : names) result.add(name.toLowerCase(Locale.ROOT));
    return result;
  }

  /** Every value of {@code name} (any case), in arrival order. */
  List<String> all(String name) {
    List<String> result = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) result.add(values.get(i));
    }
    return result;
  }
}
