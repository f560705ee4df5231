package dev.tracewire.instrumentation.grpc;

import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A message being sent: the trace fields inject writes for it. */
final class OutgoingMessage {
  static final TextMapSetter<OutgoingMessage> SETTER =
      (request, key, value) -> {
        if (request != null) request.fields.put(key, value);
      };

  final Map<String, String> fields = new LinkedHashMap<>(8);
}
