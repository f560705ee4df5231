package dev.tracewire.propagation;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Request headers as a server sees them: ordered, repeatable, names case-insensitive. {@link
 * #GETTER} returns the first value from {@code get} and all of them from {@code getAll}, as
 * OpenTelemetry's HTTP server instrumentation does.
 */
final class Headers {
  static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still how Jaeger's uberctx-* headers are found
        public Iterable<String> keys(Headers carrier) {
          Set<String> names = new LinkedHashSet<>();
          for (String[] header : carrier.headers) names.add(header[0]);
          return names;
        }

        @Override
        public String get(Headers carrier, String key) {
          if (carrier == null) return null;
          for (String[] header : carrier.headers) {
            if (header[0].equalsIgnoreCase(key)) return header[1];
          }
          return null;
        }

        @Override
        public Iterator<String> getAll(Headers carrier, String key) {
          List<String> values = new ArrayList<>();
          if (carrier == null) return values.iterator();
          for (String[] header : carrier.headers) {
            if (header[0].equalsIgnoreCase(key)) values.add(header[1]);
          }
          return values.iterator();
        }
      };

  static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> carrier.set(key, value);

  final List<String[]> headers = new ArrayList<>();

  /** {@code of("traceparent", "00-…", "b3", "…")}: name, value, name, value … */
  static Headers of(String... namesAndValues) {
    Headers result = new Headers();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      result.headers.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
    }
    return result;
  }

  Headers add(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  /** Replaces every header named {@code name}. */
  void set(String name, String value) {
    headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    headers.add(new String[] {name, value});
  }

  String get(String name) {
    return GETTER.get(this, name);
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    for (String[] header : headers) names.add(header[0]);
    return names;
  }

  @Override
  public String toString() {
    StringBuilder result = new StringBuilder();
    for (String[] header : headers)
      result.append(header[0]).append(": ").append(header[1]).append('\n');
    return result.toString();
  }
}
