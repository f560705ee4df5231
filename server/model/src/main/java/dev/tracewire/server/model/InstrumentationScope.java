package dev.tracewire.server.model;

/** The library that recorded spans (OTLP {@code InstrumentationScope} plus its schema URL). */
public record InstrumentationScope(
    String name,
    String version,
    Attributes attributes,
    int droppedAttributesCount,
    String schemaUrl) {
  private static final InstrumentationScope EMPTY =
      new InstrumentationScope("", "", Attributes.empty(), 0, "");

  public InstrumentationScope {
    name = name == null ? "" : name;
    version = version == null ? "" : version;
    attributes = attributes == null ? Attributes.empty() : attributes;
    schemaUrl = schemaUrl == null ? "" : schemaUrl;
  }

  public static InstrumentationScope empty() {
    return EMPTY;
  }

  public static InstrumentationScope create(String name, String version) {
    return new InstrumentationScope(name, version, Attributes.empty(), 0, "");
  }
}
