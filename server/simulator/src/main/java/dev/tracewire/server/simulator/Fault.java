package dev.tracewire.server.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A fault the simulator can inject, one per finding kind of the analysis; {@link #wireName()} is
 * the finding kind it should produce.
 *
 * <p>{@code Map<Fault, Double> rates = Fault.parseRates("context_stripped=0.05");}
 */
public enum Fault {
  /** The caller's client sends no trace headers. */
  CONTEXT_NOT_INJECTED("context_not_injected", "caller"),
  /** A gateway between caller and callee drops the trace headers. */
  CONTEXT_STRIPPED("context_stripped", "path"),
  /** The callee receives valid headers and starts a new trace anyway (context lost in-process). */
  CONTEXT_NOT_EXTRACTED("context_not_extracted", "callee"),
  /** The caller sends only a format the callee does not read. */
  FORMAT_MISMATCH("format_mismatch", "callee_config"),
  /** Something on the path adds a header of another trace next to the right one. */
  CONTEXT_CONFLICT("context_conflict", "path"),
  /** The caller's exit span is lost by its exporter; the callee's span names it as parent. */
  MISSING_SPAN("missing_span", "reporter"),
  /** The callee's sampler ignores the caller's decision and drops its part of the trace. */
  SAMPLING_SPLIT("sampling_split", "callee"),
  /** The call goes to an uninstrumented peer that reports nothing. */
  UNPAIRED_EXIT("unpaired_exit", "informational"),
  /** The callee's host clock is off by tens of milliseconds. */
  CLOCK_SKEW("clock_skew", "informational");

  private final String wireName;
  private final String blame;

  Fault(String wireName, String blame) {
    this.wireName = wireName;
    this.blame = blame;
  }

  /** The finding kind this fault should produce, e.g. {@code context_stripped}. */
  public String wireName() {
    return wireName;
  }

  /** Who is really at fault, as a blame wire name ({@code caller}, {@code path}, ...). */
  public String blame() {
    return blame;
  }

  /** Returns the fault with this wire name, or {@code null}. */
  public static Fault fromWireName(String wireName) {
    for (Fault f : values()) {
      if (f.wireName.equals(wireName)) return f;
    }
    return null;
  }

  /**
   * Parses {@code kind=rate,kind=rate} (rates per hop the fault applies to, in [0, 1]); an empty
   * spec means no faults.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static Map<Fault, Double> parseRates(String spec) {
    EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
    if (spec == null || spec.isBlank()) return Collections.unmodifiableMap(rates);
    for (String entry : spec.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) continue;
      int eq = e.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("faults: " + e + " (expected: kind=rate)");
      }
      String name = e.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      Fault f = fromWireName(name);
      if (f == null) {
        throw new IllegalArgumentException(
            "faults: unknown kind " + name + " (expected one of " + names() + ")");
      }
      rates.put(f, rate(e.substring(eq + 1).trim(), name));
    }
    return Collections.unmodifiableMap(rates);
  }

  /** Checks {@code rates}' keys and values; returns an immutable copy. */
  static Map<Fault, Double> checkRates(Map<String, Double> rates) {
    StringBuilder spec = new StringBuilder();
    rates.forEach((k, v) -> spec.append(k).append('=').append(v).append(','));
    return parseRates(spec.toString());
  }

  private static double rate(String s, String name) {
    double r;
    try {
      r = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("faults: " + name + "=" + s + " (expected: 0..1)");
    }
    if (!(r >= 0 && r <= 1)) {
      throw new IllegalArgumentException("faults: " + name + "=" + s + " (expected: 0..1)");
    }
    return r;
  }

  private static String names() {
    StringBuilder b = new StringBuilder();
    for (Fault f : values()) b.append(b.length() == 0 ? "" : ", ").append(f.wireName);
    return b.toString();
  }
}
