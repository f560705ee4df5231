package dev.tracewire.instrumentation.redis;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Map;

/** Trace context in stream entry fields or envelope fields. */
enum MapCarrier implements TextMapGetter<Map<String, String>>, TextMapSetter<Map<String, String>> {
  INSTANCE;

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
