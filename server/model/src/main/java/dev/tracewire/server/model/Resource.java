package dev.tracewire.server.model;

/** The entity that produced spans; its {@code service.name} names the service. */
public record Resource(Attributes attributes, int droppedAttributesCount, String schemaUrl) {
  /** OpenTelemetry's resource attribute naming the service. */
  public static final String SERVICE_NAME = "service.name";

  /** OpenTelemetry's fallback when a resource has no {@code service.name}. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  private static final Resource EMPTY = new Resource(Attributes.empty(), 0, "");

  public Resource {
    attributes = attributes == null ? Attributes.empty() : attributes;
    schemaUrl = schemaUrl == null ? "" : schemaUrl;
  }

  public static Resource empty() {
    return EMPTY;
  }

  public static Resource create(Attributes attributes) {
    return attributes.isEmpty() ? EMPTY : new Resource(attributes, 0, "");
  }

  /** {@code service.name}, or {@value #UNKNOWN_SERVICE} when absent or empty. */
  public String serviceName() {
    String name = attributes.getString(SERVICE_NAME);
    return name == null || name.isEmpty() ? UNKNOWN_SERVICE : name;
  }
}
