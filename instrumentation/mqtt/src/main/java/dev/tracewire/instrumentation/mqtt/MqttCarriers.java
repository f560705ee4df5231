package dev.tracewire.instrumentation.mqtt;

import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where the trace context travels: MQTT 5 user properties, or envelope fields. */
final class MqttCarriers {
  static final TextMapGetter<Mqtt5UserProperties> USER_PROPERTIES =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Mqtt5UserProperties properties) {
          List<String> keys = new ArrayList<>();
          for (Mqtt5UserProperty property : properties.asList()) {
            keys.add(property.getName().toString());
          }
          return keys;
        }

        @Override
        public String get(Mqtt5UserProperties properties, String key) {
          if (properties == null) return null;
          for (Mqtt5UserProperty property : properties.asList()) {
            // user property names are case-sensitive UTF-8 strings
            if (property.getName().toString().equals(key)) return property.getValue().toString();
          }
          return null;
        }
      };

  static final TextMapSetter<Mqtt5UserPropertiesBuilder> USER_PROPERTIES_SETTER =
      (builder, key, value) -> {
        if (builder != null) builder.add(key, value);
      };

  static final MapCarrier MAP = new MapCarrier();

  static final class MapCarrier
      implements TextMapGetter<Map<String, String>>, TextMapSetter<Map<String, String>> {
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

  private MqttCarriers() {}
}
