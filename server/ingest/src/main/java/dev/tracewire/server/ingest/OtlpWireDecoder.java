package dev.tracewire.server.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.tracewire.server.model.Attribute;
import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanId;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.SpanValidation;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a serialized OTLP {@code ExportTraceServiceRequest} straight from the wire into the span
 * model, without building protobuf message objects first: on the ingest path those objects and
 * their builders were most of the decoding cost and of the garbage.
 *
 * <p>It handles what exporters send. Anything where protobuf's merge rules would matter (a singular
 * message field given twice, a known field with an unexpected wire type, two values in one {@code
 * AnyValue}) or any parse error returns {@code null}, and {@link OtlpProtoDecoder} then decodes
 * through the generated classes, so both paths give the same result for every input.
 */
final class OtlpWireDecoder {
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
  private static final int LENGTH = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /** Thrown to leave the fast path; the generated classes then decide. */
  private static final class NotCanonical extends Exception {
    NotCanonical() {
      super(null, null, false, false);
    }
  }

  private static final NotCanonical NOT_CANONICAL = new NotCanonical();

  /** The decoded request, or {@code null} when the generated classes must decide. */
  static DecodeResult decode(byte[] body) {
    try {
      return new OtlpWireDecoder().request(CodedInputStream.newInstance(body));
    } catch (IOException | NotCanonical | RuntimeException e) {
      return null;
    }
  }

  private final List<Span> spans = new ArrayList<>();
  private final DecodeResult.Rejections rejections = new DecodeResult.Rejections();

  private DecodeResult request(CodedInputStream in) throws IOException, NotCanonical {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        int limit = enter(in, tag);
        resourceSpans(in);
        in.popLimit(limit);
      } else {
        skip(in, tag);
      }
    }
    return DecodeResult.of(spans, rejections);
  }

  private void resourceSpans(CodedInputStream in) throws IOException, NotCanonical {
    // the resource and schema URL may follow the scope spans on the wire: collect spans first
    ResourceFields resource = null;
    String schemaUrl = "";
    List<byte[]> scopeSpans = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (resource != null) throw NOT_CANONICAL;
          int limit = enter(in, tag);
          resource = resource(in);
          in.popLimit(limit);
        }
        case 2 -> scopeSpans.add(bytes(in, tag));
        case 3 -> schemaUrl = string(in, tag);
        default -> skip(in, tag);
      }
    }
    Resource r =
        resource == null
            ? new Resource(Attributes.empty(), 0, schemaUrl)
            : new Resource(resource.attributes, resource.dropped, schemaUrl);
    for (byte[] ss : scopeSpans) scopeSpans(CodedInputStream.newInstance(ss), r);
  }

  private record ResourceFields(Attributes attributes, int dropped) {}

  private ResourceFields resource(CodedInputStream in) throws IOException, NotCanonical {
    List<Attribute> attributes = null;
    int dropped = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> attributes = keyValue(in, tag, attributes);
        case 2 -> dropped = uint32(in, tag);
        default -> skip(in, tag);
      }
    }
    return new ResourceFields(attributes(attributes), dropped);
  }

  private void scopeSpans(CodedInputStream in, Resource resource) throws IOException, NotCanonical {
    byte[] scopeBytes = null;
    String schemaUrl = "";
    List<byte[]> spanBytes = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (scopeBytes != null) throw NOT_CANONICAL;
          scopeBytes = bytes(in, tag);
        }
        case 2 -> spanBytes.add(bytes(in, tag));
        case 3 -> schemaUrl = string(in, tag);
        default -> skip(in, tag);
      }
    }
    InstrumentationScope scope =
        scopeBytes == null
            ? new InstrumentationScope("", "", Attributes.empty(), 0, schemaUrl)
            : scope(CodedInputStream.newInstance(scopeBytes), schemaUrl);
    for (byte[] s : spanBytes) span(CodedInputStream.newInstance(s), resource, scope);
  }

  private InstrumentationScope scope(CodedInputStream in, String schemaUrl)
      throws IOException, NotCanonical {
    String name = "";
    String version = "";
    List<Attribute> attributes = null;
    int dropped = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = string(in, tag);
        case 2 -> version = string(in, tag);
        case 3 -> attributes = keyValue(in, tag, attributes);
        case 4 -> dropped = uint32(in, tag);
        default -> skip(in, tag);
      }
    }
    return new InstrumentationScope(name, version, attributes(attributes), dropped, schemaUrl);
  }

  private void span(CodedInputStream in, Resource resource, InstrumentationScope scope)
      throws IOException, NotCanonical {
    byte[] traceId = EMPTY;
    byte[] spanId = EMPTY;
    byte[] parentId = EMPTY;
    String traceState = "";
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    List<Attribute> attributes = null;
    int droppedAttributes = 0;
    List<Event> events = null;
    int droppedEvents = 0;
    List<LinkFields> links = null;
    int droppedLinks = 0;
    boolean statusSeen = false;
    String statusMessage = "";
    int statusCode = 0;
    int flags = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> traceId = bytes(in, tag);
        case 2 -> spanId = bytes(in, tag);
        case 3 -> traceState = string(in, tag);
        case 4 -> parentId = bytes(in, tag);
        case 5 -> name = string(in, tag);
        case 6 -> kind = enumNumber(in, tag);
        case 7 -> start = fixed64(in, tag);
        case 8 -> end = fixed64(in, tag);
        case 9 -> attributes = keyValue(in, tag, attributes);
        case 10 -> droppedAttributes = uint32(in, tag);
        case 11 -> {
          if (events == null) events = new ArrayList<>(2);
          int limit = enter(in, tag);
          events.add(event(in));
          in.popLimit(limit);
        }
        case 12 -> droppedEvents = uint32(in, tag);
        case 13 -> {
          if (links == null) links = new ArrayList<>(2);
          int limit = enter(in, tag);
          links.add(link(in));
          in.popLimit(limit);
        }
        case 14 -> droppedLinks = uint32(in, tag);
        case 15 -> {
          if (statusSeen) throw NOT_CANONICAL;
          statusSeen = true;
          int limit = enter(in, tag);
          int t;
          while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case 2 -> statusMessage = string(in, t);
              case 3 -> statusCode = enumNumber(in, t);
              default -> skip(in, t);
            }
          }
          in.popLimit(limit);
        }
        case 16 -> flags = fixed32(in, tag);
        default -> skip(in, tag);
      }
    }
    // the same checks, in the same order, as the generated-classes path
    String problem = SpanValidation.traceIdBytes(traceId);
    if (problem == null) problem = SpanValidation.spanIdBytes(spanId);
    if (problem == null) problem = SpanValidation.parentSpanIdBytes(parentId);
    if (problem == null && links != null) {
      for (LinkFields l : links) {
        if (l.traceId.length != 16) {
          problem = OtlpProtoDecoder.LINK_TRACE_ID;
          break;
        }
        if (l.spanId.length != 8) {
          problem = OtlpProtoDecoder.LINK_SPAN_ID;
          break;
        }
      }
    }
    Span decoded = null;
    if (problem == null) {
      List<Link> built = List.of();
      if (links != null) {
        built = new ArrayList<>(links.size());
        for (LinkFields l : links) {
          built.add(
              new Link(
                  TraceId.fromBytes(l.traceId),
                  SpanId.fromBytes(l.spanId),
                  l.traceState,
                  l.attributes,
                  l.flags,
                  l.dropped));
        }
      }
      decoded =
          Span.newBuilder()
              .traceId(TraceId.fromBytes(traceId))
              .spanId(SpanId.fromBytes(spanId))
              .parentSpanId(parentId.length == 0 ? SpanId.NONE : SpanId.fromBytes(parentId))
              .name(name)
              .kind(SpanKind.forNumber(kind))
              .startEpochNanos(start)
              .endEpochNanos(end)
              .status(Status.create(StatusCode.forNumber(statusCode), statusMessage))
              .attributes(attributes(attributes))
              .events(events == null ? List.of() : events)
              .links(built)
              .traceState(traceState)
              .flags(flags)
              .resource(resource)
              .scope(scope)
              .droppedAttributesCount(droppedAttributes)
              .droppedEventsCount(droppedEvents)
              .droppedLinksCount(droppedLinks)
              .build();
      problem = SpanValidation.problem(decoded);
    }
    if (problem != null) {
      rejections.add(problem, "span " + OtlpProtoDecoder.hex(spanId) + " " + name);
    } else {
      spans.add(decoded);
    }
  }

  private Event event(CodedInputStream in) throws IOException, NotCanonical {
    long time = 0;
    String name = "";
    List<Attribute> attributes = null;
    int dropped = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> time = fixed64(in, tag);
        case 2 -> name = string(in, tag);
        case 3 -> attributes = keyValue(in, tag, attributes);
        case 4 -> dropped = uint32(in, tag);
        default -> skip(in, tag);
      }
    }
    return new Event(time, name, attributes(attributes), dropped);
  }

  private record LinkFields(
      byte[] traceId,
      byte[] spanId,
      String traceState,
      Attributes attributes,
      int flags,
      int dropped) {}

  private LinkFields link(CodedInputStream in) throws IOException, NotCanonical {
    byte[] traceId = EMPTY;
    byte[] spanId = EMPTY;
    String traceState = "";
    List<Attribute> attributes = null;
    int dropped = 0;
    int flags = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> traceId = bytes(in, tag);
        case 2 -> spanId = bytes(in, tag);
        case 3 -> traceState = string(in, tag);
        case 4 -> attributes = keyValue(in, tag, attributes);
        case 5 -> dropped = uint32(in, tag);
        case 6 -> flags = fixed32(in, tag);
        default -> skip(in, tag);
      }
    }
    return new LinkFields(traceId, spanId, traceState, attributes(attributes), flags, dropped);
  }

  /** Reads one {@code KeyValue} field into {@code into} (created on first use). */
  private static List<Attribute> keyValue(CodedInputStream in, int tag, List<Attribute> into)
      throws IOException, NotCanonical {
    return keyValue(in, tag, into, 0);
  }

  private static List<Attribute> keyValue(
      CodedInputStream in, int tag, List<Attribute> into, int depth)
      throws IOException, NotCanonical {
    // protobuf refuses nesting past 100 messages; stop well before, never past it
    if (depth > MAX_DEPTH) throw NOT_CANONICAL;
    List<Attribute> list = into != null ? into : new ArrayList<>(8);
    int limit = enter(in, tag);
    String key = "";
    AttributeValue value = null;
    int t;
    while ((t = in.readTag()) != 0) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> key = string(in, t);
        case 2 -> {
          if (value != null) throw NOT_CANONICAL;
          int inner = enter(in, t);
          value = anyValue(in, depth + 1);
          in.popLimit(inner);
        }
        default -> skip(in, t);
      }
    }
    in.popLimit(limit);
    list.add(new Attribute(key, value == null ? AttributeValue.empty() : value));
    return list;
  }

  private static AttributeValue anyValue(CodedInputStream in, int depth)
      throws IOException, NotCanonical {
    if (depth > MAX_DEPTH) throw NOT_CANONICAL;
    AttributeValue value = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field < 1 || field > 7) {
        skip(in, tag);
        continue;
      }
      if (value != null) throw NOT_CANONICAL; // oneof given twice: protobuf's merge rules decide
      switch (field) {
        case 1 -> value = AttributeValue.of(string(in, tag));
        case 2 -> value = AttributeValue.of(bool(in, tag));
        case 3 -> value = AttributeValue.of(int64(in, tag));
        case 4 -> value = AttributeValue.of(float64(in, tag));
        case 5 -> {
          int limit = enter(in, tag);
          List<AttributeValue> values = new ArrayList<>();
          int t;
          while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
              int inner = enter(in, t);
              values.add(anyValue(in, depth + 1));
              in.popLimit(inner);
            } else {
              skip(in, t);
            }
          }
          in.popLimit(limit);
          value = AttributeValue.ofArray(values);
        }
        case 6 -> {
          int limit = enter(in, tag);
          List<Attribute> values = null;
          int t;
          while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 1) values = keyValue(in, t, values, depth + 1);
            else skip(in, t);
          }
          in.popLimit(limit);
          value = AttributeValue.ofKeyValueList(attributes(values));
        }
        default -> value = AttributeValue.of(bytes(in, tag));
      }
    }
    return value == null ? AttributeValue.empty() : value;
  }

  private static Attributes attributes(List<Attribute> list) {
    return list == null ? Attributes.empty() : Attributes.of(list);
  }

  /** Enters a length-delimited field; the caller pops the returned limit when done with it. */
  private static int enter(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, LENGTH);
    return in.pushLimit(in.readRawVarint32());
  }

  private static String string(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, LENGTH);
    return in.readStringRequireUtf8();
  }

  private static byte[] bytes(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, LENGTH);
    return in.readByteArray();
  }

  private static int uint32(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, VARINT);
    return in.readUInt32();
  }

  private static int enumNumber(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, VARINT);
    return in.readEnum();
  }

  private static long int64(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, VARINT);
    return in.readInt64();
  }

  private static boolean bool(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, VARINT);
    return in.readBool();
  }

  private static long fixed64(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, FIXED64);
    return in.readFixed64();
  }

  private static double float64(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, FIXED64);
    return in.readDouble();
  }

  private static int fixed32(CodedInputStream in, int tag) throws IOException, NotCanonical {
    expect(tag, FIXED32);
    return in.readFixed32();
  }

  /** Skips an unknown field; an end-group tag where none belongs is left to protobuf. */
  private static void skip(CodedInputStream in, int tag) throws IOException, NotCanonical {
    if (!in.skipField(tag)) throw NOT_CANONICAL;
  }

  private static void expect(int tag, int wireType) throws NotCanonical {
    if (WireFormat.getTagWireType(tag) != wireType) throw NOT_CANONICAL;
  }

  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_DEPTH = 32;
}
