package dev.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntryMetadata;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

class BaggageCodecTest {
  static BaggageCodec.Reader read(Headers headers) {
    BaggageCodec.Reader reader = BaggageCodec.Reader.readW3c(headers, Headers.GETTER, null);
    return BaggageCodec.Reader.readJaeger(headers, Headers.GETTER, reader);
  }

  static Baggage baggage(String... values) {
    Headers headers = new Headers();
    for (String value : values) headers.add("baggage", value);
    return read(headers).baggage();
  }

  @Test
  void read_percentDecodesValues() {
    Baggage baggage = baggage(TestObjects.BAGGAGE);

    assertThat(baggage.getEntryValue("userId")).isEqualTo("alice");
    assertThat(baggage.getEntryValue("serverNode")).isEqualTo("DF 28");
    assertThat(baggage.getEntryValue("isProduction")).isEqualTo("false");
  }

  @Test
  void read_utf8_isDecoded() {
    assertThat(baggage("city=K%C3%B6ln").getEntryValue("city")).isEqualTo("Köln");
  }

  @Test
  void read_invalidUtf8_becomesReplacementCharacter() {
    assertThat(baggage("k=%FF").getEntryValue("k")).isEqualTo("\uFFFD");
  }

  @Test
  void read_strayPercent_isKeptLiterally() {
    assertThat(baggage("k=100%").getEntryValue("k")).isEqualTo("100%");
  }

  @Test
  void read_propertiesBecomeMetadata() {
    Baggage baggage = baggage("k=v;ttl=10;flag");

    assertThat(baggage.getEntryValue("k")).isEqualTo("v");
    assertThat(baggage.asMap().get("k").getMetadata().getValue()).isEqualTo("ttl=10;flag");
  }

  @Test
  void read_ows_isTrimmed() {
    Baggage baggage = baggage(" a = 1 , b=2\t");

    assertThat(baggage.getEntryValue("a")).isEqualTo("1");
    assertThat(baggage.getEntryValue("b")).isEqualTo("2");
  }

  @Test
  void read_multipleHeaders_areMerged() {
    Baggage baggage = baggage("a=1", "b=2");

    assertThat(baggage.size()).isEqualTo(2);
  }

  @Test
  void read_malformedMember_isSkippedAndReported() {
    Headers headers = Headers.of("baggage", "a=1,no-equals,b c=2,d=3");
    BaggageCodec.Reader reader = read(headers);

    assertThat(reader.baggage().asMap()).containsOnlyKeys("a", "d");
    assertThat(reader.reason).isEqualTo(BaggageCodec.MALFORMED_MEMBER);
  }

  @Test
  void read_over180Members_dropsTheRest() {
    StringJoiner joiner = new StringJoiner(",");
    for (int i = 0; i < 190; i++) joiner.add("k" + i + "=" + i);

    BaggageCodec.Reader reader = read(Headers.of("baggage", joiner.toString()));

    assertThat(reader.baggage().size()).isEqualTo(180);
    assertThat(reader.reason).isEqualTo(BaggageCodec.TOO_MANY_MEMBERS);
  }

  @Test
  void read_over8192Bytes_dropsWholeMembers() {
    String big = "v".repeat(5000);

    BaggageCodec.Reader reader = read(Headers.of("baggage", "a=" + big + ",b=" + big + ",c=1"));

    assertThat(reader.baggage().asMap()).containsOnlyKeys("a", "c");
    assertThat(reader.reason).isEqualTo(BaggageCodec.TOO_LONG);
  }

  @Test
  void read_uberctx_isMergedAndW3cWins() {
    Headers headers =
        Headers.of(
            "baggage", "shared=w3c,only-w3c=1",
            "uberctx-shared", "jaeger",
            "uberctx-only-jaeger", "a%20b+c");

    Baggage baggage = read(headers).baggage();

    assertThat(baggage.getEntryValue("shared")).isEqualTo("w3c");
    assertThat(baggage.getEntryValue("only-w3c")).isEqualTo("1");
    assertThat(baggage.getEntryValue("only-jaeger")).isEqualTo("a b c");
  }

  @Test
  void read_nothing_isNull() {
    assertThat(read(Headers.of("traceparent", TestObjects.TRACEPARENT))).isNull();
  }

  @Test
  void encode_roundTripsValuesNeedingEncoding() {
    Baggage baggage =
        Baggage.builder()
            .put("city", "Köln, \"Altstadt\"; 100%")
            .put("k", "v", BaggageEntryMetadata.create("ttl=10"))
            .build();

    String encoded = BaggageCodec.encode(baggage);

    assertThat(encoded).doesNotContain(" ").doesNotContain("\"");
    assertThat(baggage(encoded)).isEqualTo(baggage);
  }

  @Test
  void encode_sentryMembers_areForwardedUnchanged() {
    String encoded = BaggageCodec.encode(baggage(TestObjects.SENTRY_BAGGAGE));

    // OpenTelemetry's Baggage keeps keys sorted, so only the members, not their order, survive
    assertThat(encoded.split(",")).containsExactlyInAnyOrder(TestObjects.SENTRY_BAGGAGE.split(","));
  }

  @Test
  void encode_metadataWithComma_isDropped() {
    Baggage baggage = Baggage.builder().put("k", "v", BaggageEntryMetadata.create("a,b")).build();

    assertThat(BaggageCodec.encode(baggage)).isEqualTo("k=v");
  }

  @Test
  void encode_keyNotAToken_isLeftOut() {
    assertThat(BaggageCodec.encode(Baggage.builder().put("a b", "1").put("c", "2").build()))
        .isEqualTo("c=2");
  }
}
