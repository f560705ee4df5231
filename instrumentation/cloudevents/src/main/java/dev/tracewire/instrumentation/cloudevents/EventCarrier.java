package dev.tracewire.instrumentation.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** Trace context in CloudEvents extension attributes. */
final class EventCarrier {
  static final TextMapSetter<CloudEventBuilder> SETTER =
      (builder, key, value) -> {
        if (builder != null && isAttributeName(key)) builder.withExtension(key, value);
      };

  static final TextMapGetter<CloudEvent> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(CloudEvent event) {
          return event.getExtensionNames();
        }

        @Override
        public String get(CloudEvent event, String key) {
          if (event == null || key == null || !isAttributeName(key)) return null;
          Object value = event.getExtension(key);
          return value == null ? null : value.toString();
        }
      };

  /**
   * Whether {@code name} is a valid CloudEvents attribute name: lower-case ASCII letters and
   * digits, at most 20 characters.
   */
  static boolean isAttributeName(String name) {
    int length = name.length();
    if (length == 0 || length > 20) return false;
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
    return true;
  }

  private EventCarrier() {}
}
