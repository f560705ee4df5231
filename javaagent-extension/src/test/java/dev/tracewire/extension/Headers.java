package dev.tracewire.extension;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Request headers as a lower-case-keyed map, the way HTTP servers hand them to propagators. */
final class Headers {
  static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
      };

  static final TextMapSetter<Map<String, String>> SETTER =
      (carrier, key, value) -> carrier.put(key.toLowerCase(Locale.ROOT), value);

  /** Returns a map of {@code name, value, name, value …}. */
  static Map<String, String> of(String... namesAndValues) {
    Map<String, String> result = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      result.put(namesAndValues[i].toLowerCase(Locale.ROOT), namesAndValues[i + 1]);
    }
    return result;
  }

  static Context extract(TextMapPropagator propagator, Map<String, String> headers) {
    return propagator.extract(Context.root(), headers, GETTER);
  }

  static Map<String, String> inject(TextMapPropagator propagator, Context context) {
    Map<String, String> result = new LinkedHashMap<>();
    propagator.inject(context, result, SETTER);
    return result;
  }

  private Headers() {}
}
