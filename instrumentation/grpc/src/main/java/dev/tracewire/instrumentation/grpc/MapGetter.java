package dev.tracewire.instrumentation.grpc;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;

/** Reads trace fields from the map a {@link MessageCarrier} read out of a message. */
enum MapGetter implements TextMapGetter<Map<String, String>> {
  INSTANCE;

  @SuppressWarnings("deprecation") // still how Jaeger's uberctx-* headers are found
  @Override
  public Iterable<String> keys(Map<String, String> carrier) {
    return carrier.keySet();
  }

  @Override
  public String get(Map<String, String> carrier, String key) {
    return carrier == null ? null : carrier.get(key);
  }
}
