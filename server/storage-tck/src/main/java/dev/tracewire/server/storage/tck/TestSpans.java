package dev.tracewire.server.storage.tck;

import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.InstrumentationScope;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.Resource;
import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.SpanKind;
import dev.tracewire.server.model.Status;
import dev.tracewire.server.model.StatusCode;
import dev.tracewire.server.model.TraceId;
import java.time.Instant;
import java.util.List;

/**
 * Named span fixtures with fixed ids and times, shared by the suite and backend-specific tests.
 *
 * <p>{@code store.write(List.of(TestSpans.FRONTEND_ROOT, TestSpans.FRONTEND_CLIENT,
 * TestSpans.BACKEND_SERVER));}
 */
public final class TestSpans {
  /** 2026-01-01T00:00:00Z: every fixture starts at or after this instant. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  public static final long EPOCH_NANOS = EPOCH.getEpochSecond() * 1_000_000_000L;

  public static final Resource FRONTEND = resource("frontend");
  public static final Resource BACKEND = resource("backend");
  public static final Resource DB = resource("db");

  public static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

  /** frontend SERVER "GET /checkout", 0–100 ms. */
  public static final Span FRONTEND_ROOT =
      span(TRACE, 0x1L, 0, FRONTEND, "GET /checkout", SpanKind.SERVER, 0, 100)
          .attributes(
              Attributes.newBuilder()
                  .put("http.method", "GET")
                  .put("http.status_code", 200L)
                  .build())
          .build();

  /** frontend CLIENT "POST /charge" under the root, 10–60 ms. */
  public static final Span FRONTEND_CLIENT =
      span(TRACE, 0x2L, 0x1L, FRONTEND, "POST /charge", SpanKind.CLIENT, 10, 50).build();

  /** backend SERVER "POST /charge" under the client, 12–58 ms, status ERROR. */
  public static final Span BACKEND_SERVER =
      span(TRACE, 0x3L, 0x2L, BACKEND, "POST /charge", SpanKind.SERVER, 12, 46)
          .status(Status.create(StatusCode.ERROR, "card declined"))
          .attributes(Attributes.newBuilder().put("retry", true).build())
          .build();

  /** backend CLIENT "SELECT" to the db, 20–25 ms. */
  public static final Span BACKEND_DB_CLIENT =
      span(TRACE, 0x4L, 0x3L, BACKEND, "SELECT", SpanKind.CLIENT, 20, 5).build();

  /** db SERVER "SELECT" under the backend's client span, 21–24 ms. */
  public static final Span DB_SERVER =
      span(TRACE, 0x5L, 0x4L, DB, "SELECT", SpanKind.SERVER, 21, 3).build();

  /** The five spans of {@link #TRACE}: frontend → backend → db. */
  public static final List<Span> CHECKOUT =
      List.of(FRONTEND_ROOT, FRONTEND_CLIENT, BACKEND_SERVER, BACKEND_DB_CLIENT, DB_SERVER);

  /** A span using every field and every attribute type, including hostile strings. */
  public static final Span EVERY_FIELD = everyField();

  /** A builder for a span at {@link #EPOCH} plus {@code startMillis}, lasting {@code millis}. */
  public static Span.Builder span(
      TraceId traceId,
      long spanId,
      long parentSpanId,
      Resource resource,
      String name,
      SpanKind kind,
      long startMillis,
      long millis) {
    long start = EPOCH_NANOS + startMillis * 1_000_000L;
    return Span.newBuilder()
        .traceId(traceId)
        .spanId(spanId)
        .parentSpanId(parentSpanId)
        .resource(resource)
        .name(name)
        .kind(kind)
        .startEpochNanos(start)
        .endEpochNanos(start + millis * 1_000_000L)
        .flags(1);
  }

  public static Resource resource(String serviceName) {
    return Resource.create(Attributes.newBuilder().put("service.name", serviceName).build());
  }

  private static Span everyField() {
    String hostile = "a=b;c\u001e\u001f\u001d|\\\"\n\t\u0000 ünïcødé ☃ \uD83D\uDE00";
    Attributes nested =
        Attributes.newBuilder()
            .put("inner.string", hostile)
            .put("inner.array", AttributeValue.ofArray(List.of(AttributeValue.of(1L))))
            .build();
    Attributes all =
        Attributes.newBuilder()
            .put("string", "value")
            .put("string.hostile", hostile)
            .put("string.empty", "")
            .put("bool", true)
            .put("bool.false", false)
            .put("long", 42L)
            .put("long.min", Long.MIN_VALUE)
            .put("long.max", Long.MAX_VALUE)
            .put("double", 3.25)
            .put("double.negzero", -0.0)
            .put("double.nan", Double.NaN)
            .put("double.inf", Double.NEGATIVE_INFINITY)
            .put("double.tiny", Double.MIN_VALUE)
            .put("bytes", AttributeValue.of(new byte[] {0, 1, (byte) 0xff, 0x1e}))
            .put("bytes.empty", AttributeValue.of(new byte[0]))
            .put(
                "array.mixed",
                AttributeValue.ofArray(
                    List.of(
                        AttributeValue.of("s"),
                        AttributeValue.of(false),
                        AttributeValue.of(7L),
                        AttributeValue.of(1.5),
                        AttributeValue.of(new byte[] {9}),
                        AttributeValue.empty(),
                        AttributeValue.ofArray(List.of()))))
            .put("kvlist", AttributeValue.ofKeyValueList(nested))
            .put("empty", AttributeValue.empty())
            .put("duplicate", "first")
            .put("duplicate", "second")
            .put(hostile, "hostile key")
            .build();
    TraceId trace = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
    long start = EPOCH_NANOS + 123_456_789L;
    return Span.newBuilder()
        .traceId(trace)
        .spanId(0xb7ad6b7169203331L)
        .parentSpanId(0xffffffffffffffffL)
        .name("every field " + hostile)
        .kind(SpanKind.CONSUMER)
        .startEpochNanos(start)
        .endEpochNanos(start + 987_654_321L)
        .status(Status.create(StatusCode.ERROR, "failed: " + hostile))
        .attributes(all)
        .events(
            List.of(
                new Event(start + 1, "exception", nested, 2),
                Event.create(start, "", Attributes.empty()),
                Event.create(start - 5, "before start", Attributes.empty())))
        .links(
            List.of(
                new Link(
                    TraceId.fromHex("8000000000000000000000000000000f"),
                    0x8000000000000001L,
                    "vendor=" + hostile,
                    nested,
                    0x301,
                    3),
                Link.create(trace, 1, Attributes.empty())))
        .traceState("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        .flags(0x301)
        .resource(
            new Resource(
                Attributes.newBuilder()
                    .put("service.name", "consumer")
                    .put("host.name", hostile)
                    .put("process.pid", 1234L)
                    .build(),
                4,
                "https://opentelemetry.io/schemas/1.24.0"))
        .scope(
            new InstrumentationScope(
                "io.opentelemetry.kafka-clients-2.6",
                "2.31.1-alpha",
                Attributes.newBuilder().put("scope.attr", hostile).build(),
                5,
                "https://opentelemetry.io/schemas/1.21.0"))
        .droppedAttributesCount(6)
        .droppedEventsCount(7)
        .droppedLinksCount(8)
        .build();
  }

  private TestSpans() {}
}
