package dev.tracewire.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpanTest {
  @Test
  void serviceName_fromResource_elseUnknown() {
    Span span = SpanValidationTest.valid();

    assertThat(span.serviceName()).isEqualTo("unknown_service");
    assertThat(
            span.toBuilder()
                .resource(
                    Resource.create(Attributes.newBuilder().put("service.name", "cart").build()))
                .build()
                .serviceName())
        .isEqualTo("cart");
  }

  @Test
  void toBuilder_copiesEveryField() {
    Span span =
        Span.newBuilder()
            .traceId(TraceId.of(1, 2))
            .spanId(3)
            .parentSpanId(4)
            .name("n")
            .kind(SpanKind.CONSUMER)
            .startEpochNanos(5)
            .endEpochNanos(6)
            .status(Status.create(StatusCode.ERROR, "boom"))
            .attributes(Attributes.newBuilder().put("a", 1L).build())
            .events(List.of(Event.create(5, "e", Attributes.empty())))
            .links(List.of(Link.create(TraceId.of(7, 8), 9, Attributes.empty())))
            .traceState("k=v")
            .flags(1)
            .resource(Resource.create(Attributes.newBuilder().put("service.name", "s").build()))
            .scope(InstrumentationScope.create("lib", "1.0"))
            .droppedAttributesCount(1)
            .droppedEventsCount(2)
            .droppedLinksCount(3)
            .build();

    assertThat(span.toBuilder().build()).isEqualTo(span);
    assertThat(span.toBuilder().droppedLinksCount(4).build()).isNotEqualTo(span);
    assertThat(span.parentSpanIdHex()).isEqualTo("0000000000000004");
    assertThat(span.durationNanos()).isEqualTo(1);
  }

  @Test
  void attributeValue_asString_rendersNestedAsJson() {
    AttributeValue nested =
        AttributeValue.ofKeyValueList(
            Attributes.newBuilder()
                .put("s", "a\"b")
                .put(
                    "arr",
                    AttributeValue.ofArray(List.of(AttributeValue.of(1L), AttributeValue.of(true))))
                .put("bytes", AttributeValue.of(new byte[] {1, 2}))
                .put("none", AttributeValue.empty())
                .build());

    assertThat(nested.asString())
        .isEqualTo("{\"s\":\"a\\\"b\",\"arr\":[1,true],\"bytes\":\"AQI=\",\"none\":null}");
    assertThat(AttributeValue.of(new byte[] {1})).isEqualTo(AttributeValue.of(new byte[] {1}));
  }
}
