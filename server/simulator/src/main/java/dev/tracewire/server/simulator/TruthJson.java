package dev.tracewire.server.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/** One truth record as a JSON line, in the shape of the analysis' findings. */
final class TruthJson {
  private static final JsonFactory JSON = new JsonFactory();

  static String write(Truth t) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("kind", t.kind());
      strings(g, "traceIds", t.traceIds());
      strings(g, "spanIds", t.spanIds());
      g.writeObjectFieldStart("hop");
      g.writeStringField("from", t.from());
      g.writeStringField("to", t.to());
      g.writeStringField("transport", t.transport());
      g.writeEndObject();
      if (!t.blame().isEmpty()) g.writeStringField("blame", t.blame());
      g.writeStringField("evidence", t.evidence());
      g.writeStringField("diagnostics", t.diagnostics());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  private static void strings(JsonGenerator g, String name, List<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String v : values) g.writeString(v);
    g.writeEndArray();
  }

  private TruthJson() {}
}
