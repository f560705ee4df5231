package dev.tracewire.instrumentation.nats;

import io.nats.client.impl.Headers;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collections;
import java.util.List;

/** Trace context in NATS headers; lookups fall back to any case, as HTTP-minded peers vary it. */
enum NatsHeaders implements TextMapGetter<Headers>, TextMapSetter<Headers> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Headers headers) {
    return headers == null ? Collections.emptySet() : headers.keySet();
  }

  @Override
  public String get(Headers headers, String key) {
    if (headers == null) return null;
    String value = headers.getFirst(key);
    if (value != null) return value;
    List<String> any = headers.getIgnoreCase(key);
    return any == null || any.isEmpty() ? null : any.get(0);
  }

  @Override
  public void set(Headers headers, String key, String value) {
    if (headers != null && !headers.isReadOnly()) headers.put(key, value);
  }
}
