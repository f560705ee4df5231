package dev.tracewire.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.QueryParams;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses query parameters, throwing {@link BadParameterException} naming the bad one. */
final class Params {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_LIMIT = 1000;

  private final QueryParams params;

  Params(QueryParams params) {
    this.params = params;
  }

  /** The parameter, or {@code null} when absent or empty. */
  String string(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  List<String> all(String name) {
    return params.getAll(name);
  }

  int limit(String name, int defaultLimit) {
    String v = string(name);
    if (v == null) return defaultLimit;
    try {
      int limit = Integer.parseInt(v);
      if (limit >= 1 && limit <= MAX_LIMIT) return limit;
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new BadParameterException(name, v, "an integer from 1 to " + MAX_LIMIT);
  }

  /** True for {@code true} or {@code 1}, false when absent or {@code false} / {@code 0}. */
  boolean flag(String name) {
    String v = string(name);
    if (v == null || v.equals("false") || v.equals("0")) return false;
    if (v.equals("true") || v.equals("1")) return true;
    throw new BadParameterException(name, v, "true or false");
  }

  /** A whole number, or {@code defaultValue} when absent. */
  long longValue(String name, long defaultValue, String expected) {
    String v = string(name);
    if (v == null) return defaultValue;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadParameterException(name, v, expected);
    }
  }

  /** A duration like {@code 1.2s}, {@code 100ms} or {@code 1m30s} in nanoseconds, or -1. */
  long durationNanos(String name) {
    String v = string(name);
    if (v == null) return -1;
    long nanos = parseDuration(v);
    if (nanos < 0) {
      throw new BadParameterException(name, v, "a duration like 1.2s, 100ms, 250us or 1m30s");
    }
    return nanos;
  }

  /** Epoch milliseconds or an ISO-8601 instant, in epoch nanoseconds, or -1 when absent. */
  long instantNanos(String name) {
    String v = string(name);
    if (v == null) return -1;
    try {
      return Math.multiplyExact(Long.parseLong(v), 1_000_000L);
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        Instant i = Instant.parse(v);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
      } catch (DateTimeParseException e2) {
        throw new BadParameterException(
            name, v, "epoch milliseconds or an ISO-8601 instant like 2026-01-02T03:04:05Z");
      }
    }
  }

  /**
   * Tags from a JSON object ({@code {"k":"v"}}, as Grafana sends) or from {@code k=v} / {@code k:v}
   * pairs, repeated or comma-separated.
   */
  Map<String, String> tags(String name) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String v : all(name)) {
      if (v.isBlank()) continue;
      String trimmed = v.trim();
      if (trimmed.startsWith("{")) {
        JsonNode node;
        try {
          node = JSON.readTree(trimmed);
        } catch (java.io.IOException e) {
          throw new BadParameterException(name, v, "a JSON object of string values");
        }
        if (node == null || !node.isObject()) {
          throw new BadParameterException(name, v, "a JSON object of string values");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          JsonNode value = e.getValue();
          if (!value.isValueNode() || value.isNull()) {
            throw new BadParameterException(name, v, "a JSON object of string values");
          }
          tags.put(e.getKey(), value.asText());
        }
        continue;
      }
      for (String pair : trimmed.split(",")) {
        int eq = pair.indexOf('=');
        if (eq < 0) eq = pair.indexOf(':');
        if (eq <= 0) throw new BadParameterException(name, v, "key=value pairs or a JSON object");
        tags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return tags;
  }

  /**
   * Parses Go-style durations as Jaeger and Grafana send them ({@code 1.2s}, {@code 100ms}, {@code
   * 1h30m}); returns -1 when unreadable. A bare number means microseconds, as in Jaeger.
   */
  static long parseDuration(String s) {
    if (s.isEmpty()) return -1;
    boolean bare = true;
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) bare = false;
    }
    if (bare) {
      try {
        return Math.multiplyExact(Long.parseLong(s), 1000L);
      } catch (NumberFormatException | ArithmeticException e) {
        return -1;
      }
    }
    double total = 0;
    int i = 0;
    while (i < s.length()) {
      int numStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
      if (i == numStart) return -1;
      double number;
      try {
        number = Double.parseDouble(s.substring(numStart, i));
      } catch (NumberFormatException e) {
        return -1;
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
      long unit = unitNanos(s.substring(unitStart, i));
      if (unit < 0) return -1;
      total += number * unit;
    }
    return total > Long.MAX_VALUE ? -1 : Math.round(total);
  }

  private static long unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return 1L;
      case "us":
      case "µs":
      case "μs":
        return 1_000L;
      case "ms":
        return 1_000_000L;
      case "s":
        return 1_000_000_000L;
      case "m":
        return 60_000_000_000L;
      case "h":
        return 3_600_000_000_000L;
      default:
        return -1;
    }
  }
}
