package dev.tracewire.server.storage.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.AttributeValue;
import dev.tracewire.server.model.Attributes;
import dev.tracewire.server.model.Event;
import dev.tracewire.server.model.Link;
import dev.tracewire.server.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpanCodecTest {
  @Test
  void attributes_randomValues_roundTrip() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 2000; i++) {
      Attributes attributes = randomAttributes(random, 0);
      String encoded = SpanCodec.encodeAttributes(attributes);

      assertThat(SpanCodec.decodeAttributes(encoded)).isEqualTo(attributes);
    }
  }

  @Test
  void eventsAndLinks_randomValues_roundTrip() {
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 500; i++) {
      List<Event> events = new ArrayList<>();
      List<Link> links = new ArrayList<>();
      for (int k = random.nextInt(3); k >= 0; k--) {
        events.add(
            new Event(random.nextLong(), randomString(random), randomAttributes(random, 1), k));
        links.add(
            new Link(
                TraceId.of(random.nextLong(), random.nextLong()),
                random.nextLong(),
                randomString(random),
                randomAttributes(random, 1),
                random.nextInt(),
                k));
      }
      long start = random.nextLong();

      assertThat(SpanCodec.decodeEvents(SpanCodec.encodeEvents(events, start), start))
          .isEqualTo(events);
      assertThat(SpanCodec.decodeLinks(SpanCodec.encodeLinks(links))).isEqualTo(links);
    }
  }

  @Test
  void tagNeedle_matchesOnlyWholeEntry() {
    String encoded =
        SpanCodec.encodeAttributes(
            Attributes.newBuilder()
                .put("http.route", "/a/b")
                .put("code", 200L)
                .put("x.code", "200")
                .build());

    assertThat(SpanCodec.tagNeedles("code", "200")).anyMatch(encoded::contains);
    assertThat(SpanCodec.tagNeedles("http.route", "/a/b")).anyMatch(encoded::contains);
    assertThat(SpanCodec.tagNeedles("http.route", "/a")).noneMatch(encoded::contains);
    assertThat(SpanCodec.tagNeedles("route", "/a/b")).noneMatch(encoded::contains);
    assertThat(SpanCodec.tagNeedles("code", "20")).noneMatch(encoded::contains);
  }

  static Attributes randomAttributes(SplittableRandom random, int depth) {
    Attributes.Builder b = Attributes.newBuilder();
    for (int n = random.nextInt(5); n > 0; n--)
      b.put(randomString(random), randomValue(random, depth));
    return b.build();
  }

  static AttributeValue randomValue(SplittableRandom random, int depth) {
    int type = random.nextInt(depth < 2 ? 8 : 6);
    return switch (type) {
      case 0 -> AttributeValue.of(randomString(random));
      case 1 -> AttributeValue.of(random.nextBoolean());
      case 2 -> AttributeValue.of(random.nextLong());
      case 3 -> AttributeValue.of(Double.longBitsToDouble(random.nextLong()));
      case 4 -> {
        byte[] bytes = new byte[random.nextInt(6)];
        random.nextBytes(bytes);
        yield AttributeValue.of(bytes);
      }
      case 5 -> AttributeValue.empty();
      case 6 -> {
        List<AttributeValue> values = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) values.add(randomValue(random, depth + 1));
        yield AttributeValue.ofArray(values);
      }
      default -> AttributeValue.ofKeyValueList(randomAttributes(random, depth + 1));
    };
  }

  /** Strings dense in separators, escapes, NULs and non-ASCII. */
  static String randomString(SplittableRandom random) {
    char[] alphabet = {
      0, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, '@', '[', '\\', ']', '^', '_', 'a', 'é', '☃'
    };
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(8); n > 0; n--) b.append(alphabet[random.nextInt(alphabet.length)]);
    return b.toString();
  }
}
