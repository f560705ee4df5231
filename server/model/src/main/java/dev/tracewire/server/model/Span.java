package dev.tracewire.server.model;

import java.util.List;
import java.util.Objects;

/**
 * One span with everything an SDK sent: ids, name, kind, times, status, attributes, events, links,
 * trace state, flags, resource, instrumentation scope and dropped counts. Immutable.
 *
 * <pre>{@code
 * Span span = Span.newBuilder()
 *     .traceId(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"))
 *     .spanId(SpanId.fromHex("00f067aa0ba902b7"))
 *     .name("GET /users")
 *     .kind(SpanKind.SERVER)
 *     .startEpochNanos(start).endEpochNanos(end)
 *     .resource(Resource.create(Attributes.newBuilder().put("service.name", "frontend").build()))
 *     .build();
 * }</pre>
 */
public final class Span {
  private final TraceId traceId;
  private final long spanId;
  private final long parentSpanId;
  private final String name;
  private final SpanKind kind;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final Status status;
  private final Attributes attributes;
  private final List<Event> events;
  private final List<Link> links;
  private final String traceState;
  private final int flags;
  private final Resource resource;
  // looked up once: storage, analysis and queries each ask for it, often many times per span
  private final String serviceName;
  private final InstrumentationScope scope;
  private final int droppedAttributesCount;
  private final int droppedEventsCount;
  private final int droppedLinksCount;

  private Span(Builder b) {
    traceId = b.traceId;
    spanId = b.spanId;
    parentSpanId = b.parentSpanId;
    name = b.name;
    kind = b.kind;
    startEpochNanos = b.startEpochNanos;
    endEpochNanos = b.endEpochNanos;
    status = b.status;
    attributes = b.attributes;
    events = List.copyOf(b.events);
    links = List.copyOf(b.links);
    traceState = b.traceState;
    flags = b.flags;
    resource = b.resource;
    serviceName = resource.serviceName();
    scope = b.scope;
    droppedAttributesCount = b.droppedAttributesCount;
    droppedEventsCount = b.droppedEventsCount;
    droppedLinksCount = b.droppedLinksCount;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public TraceId traceId() {
    return traceId;
  }

  /** The span id; never {@link SpanId#NONE} on a span that passed {@link SpanValidation}. */
  public long spanId() {
    return spanId;
  }

  /** The parent's span id, or {@link SpanId#NONE} for a root span. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public boolean isRoot() {
    return parentSpanId == SpanId.NONE;
  }

  public String traceIdHex() {
    return traceId.toHex();
  }

  public String spanIdHex() {
    return SpanId.toHex(spanId);
  }

  /** The parent's id as 16 lower-hex digits, or the empty string for a root span. */
  public String parentSpanIdHex() {
    return isRoot() ? "" : SpanId.toHex(parentSpanId);
  }

  public String name() {
    return name;
  }

  public SpanKind kind() {
    return kind;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  /** End minus start, in nanoseconds. */
  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  public Status status() {
    return status;
  }

  public Attributes attributes() {
    return attributes;
  }

  public List<Event> events() {
    return events;
  }

  public List<Link> links() {
    return links;
  }

  /** The W3C tracestate as sent, or the empty string. */
  public String traceState() {
    return traceState;
  }

  /** OTLP span flags (W3C trace flags in the low byte). */
  public int flags() {
    return flags;
  }

  public Resource resource() {
    return resource;
  }

  public InstrumentationScope scope() {
    return scope;
  }

  /** The resource's {@code service.name}, or {@value Resource#UNKNOWN_SERVICE}. */
  public String serviceName() {
    return serviceName;
  }

  public int droppedAttributesCount() {
    return droppedAttributesCount;
  }

  public int droppedEventsCount() {
    return droppedEventsCount;
  }

  public int droppedLinksCount() {
    return droppedLinksCount;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) return true;
    if (!(o instanceof Span)) return false;
    Span s = (Span) o;
    return spanId == s.spanId
        && parentSpanId == s.parentSpanId
        && startEpochNanos == s.startEpochNanos
        && endEpochNanos == s.endEpochNanos
        && flags == s.flags
        && droppedAttributesCount == s.droppedAttributesCount
        && droppedEventsCount == s.droppedEventsCount
        && droppedLinksCount == s.droppedLinksCount
        && traceId.equals(s.traceId)
        && name.equals(s.name)
        && kind == s.kind
        && status.equals(s.status)
        && attributes.equals(s.attributes)
        && events.equals(s.events)
        && links.equals(s.links)
        && traceState.equals(s.traceState)
        && resource.equals(s.resource)
        && scope.equals(s.scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spanId, name, startEpochNanos);
  }

  @Override
  public String toString() {
    return "Span{traceId="
        + traceIdHex()
        + ", spanId="
        + spanIdHex()
        + ", parentSpanId="
        + parentSpanIdHex()
        + ", name="
        + name
        + ", kind="
        + kind
        + ", service="
        + serviceName()
        + ", start="
        + startEpochNanos
        + ", end="
        + endEpochNanos
        + ", status="
        + status
        + ", attributes="
        + attributes
        + ", events="
        + events
        + ", links="
        + links
        + ", traceState="
        + traceState
        + ", flags="
        + flags
        + ", resource="
        + resource
        + ", scope="
        + scope
        + ", dropped="
        + droppedAttributesCount
        + "/"
        + droppedEventsCount
        + "/"
        + droppedLinksCount
        + "}";
  }

  /** Builds a {@link Span}; unset fields take empty defaults. Not thread-safe. */
  public static final class Builder {
    private TraceId traceId = TraceId.INVALID;
    private long spanId;
    private long parentSpanId;
    private String name = "";
    private SpanKind kind = SpanKind.UNSPECIFIED;
    private long startEpochNanos;
    private long endEpochNanos;
    private Status status = Status.UNSET;
    private Attributes attributes = Attributes.empty();
    private List<Event> events = List.of();
    private List<Link> links = List.of();
    private String traceState = "";
    private int flags;
    private Resource resource = Resource.empty();
    private InstrumentationScope scope = InstrumentationScope.empty();
    private int droppedAttributesCount;
    private int droppedEventsCount;
    private int droppedLinksCount;

    Builder() {}

    Builder(Span s) {
      traceId = s.traceId;
      spanId = s.spanId;
      parentSpanId = s.parentSpanId;
      name = s.name;
      kind = s.kind;
      startEpochNanos = s.startEpochNanos;
      endEpochNanos = s.endEpochNanos;
      status = s.status;
      attributes = s.attributes;
      events = s.events;
      links = s.links;
      traceState = s.traceState;
      flags = s.flags;
      resource = s.resource;
      scope = s.scope;
      droppedAttributesCount = s.droppedAttributesCount;
      droppedEventsCount = s.droppedEventsCount;
      droppedLinksCount = s.droppedLinksCount;
    }

    public Builder traceId(TraceId traceId) {
      this.traceId = Objects.requireNonNull(traceId, "traceId");
      return this;
    }

    public Builder spanId(long spanId) {
      this.spanId = spanId;
      return this;
    }

    /** Sets the parent; {@link SpanId#NONE} (the default) marks a root span. */
    public Builder parentSpanId(long parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    public Builder name(String name) {
      this.name = name == null ? "" : name;
      return this;
    }

    public Builder kind(SpanKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder endEpochNanos(long endEpochNanos) {
      this.endEpochNanos = endEpochNanos;
      return this;
    }

    public Builder status(Status status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    public Builder attributes(Attributes attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes");
      return this;
    }

    public Builder events(List<Event> events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    public Builder links(List<Link> links) {
      this.links = Objects.requireNonNull(links, "links");
      return this;
    }

    public Builder traceState(String traceState) {
      this.traceState = traceState == null ? "" : traceState;
      return this;
    }

    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    public Builder resource(Resource resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    public Builder scope(InstrumentationScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    public Builder droppedAttributesCount(int count) {
      this.droppedAttributesCount = count;
      return this;
    }

    public Builder droppedEventsCount(int count) {
      this.droppedEventsCount = count;
      return this;
    }

    public Builder droppedLinksCount(int count) {
      this.droppedLinksCount = count;
      return this;
    }

    /** Builds the span without validating it; see {@link SpanValidation#problem(Span)}. */
    public Span build() {
      return new Span(this);
    }
  }
}
