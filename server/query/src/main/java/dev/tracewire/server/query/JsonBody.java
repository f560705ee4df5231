package dev.tracewire.server.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes JSON responses with Jackson's streaming generator. */
final class JsonBody {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes one JSON document. */
  interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  static HttpResponse response(HttpStatus status, Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writes to memory do not fail
    }
    return HttpResponse.of(status, MediaType.JSON_UTF_8, out.toByteArray());
  }

  /** Writes attributes in OTLP/JSON form: {@code [{"key":..,"value":{"stringValue":..}}]}. */
  static void otlpAttributes(JsonGenerator g, Attributes attributes) throws IOException {
    g.writeStartArray();
    for (Attribute a : attributes.asList()) {
      g.writeStartObject();
      g.writeStringField("key", a.key());
      g.writeFieldName("value");
      otlpValue(g, a.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  static void otlpValue(JsonGenerator g, AttributeValue value) throws IOException {
    g.writeStartObject();
    if (value instanceof AttributeValue.StringValue v) {
      g.writeStringField("stringValue", v.value());
    } else if (value instanceof AttributeValue.BoolValue v) {
      g.writeBooleanField("boolValue", v.value());
    } else if (value instanceof AttributeValue.LongValue v) {
      g.writeStringField("intValue", Long.toString(v.value())); // OTLP/JSON int64 as string
    } else if (value instanceof AttributeValue.DoubleValue v) {
      g.writeFieldName("doubleValue");
      if (Double.isFinite(v.value())) {
        g.writeNumber(v.value());
      } else {
        g.writeString(Double.isNaN(v.value()) ? "NaN" : v.value() > 0 ? "Infinity" : "-Infinity");
      }
    } else if (value instanceof AttributeValue.BytesValue v) {
      g.writeStringField("bytesValue", v.asString());
    } else if (value instanceof AttributeValue.ArrayValue v) {
      g.writeObjectFieldStart("arrayValue");
      g.writeArrayFieldStart("values");
      for (AttributeValue item : v.values()) otlpValue(g, item);
      g.writeEndArray();
      g.writeEndObject();
    } else if (value instanceof AttributeValue.KeyValueListValue v) {
      g.writeObjectFieldStart("kvlistValue");
      g.writeFieldName("values");
      otlpAttributes(g, v.values());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private JsonBody() {}
}
