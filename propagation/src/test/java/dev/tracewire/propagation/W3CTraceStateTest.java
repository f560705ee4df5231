package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.TRACEPARENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.TraceState;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class W3CTraceStateTest {
  static TraceState read(String... tracestates) {
    Headers headers = Headers.of("traceparent", TRACEPARENT);
    for (String value : tracestates) headers.add("tracestate", value);
    return W3CTraceState.read(headers, Headers.GETTER);
  }

  static String members(int from, int to) {
    StringJoiner joiner = new StringJoiner(",");
    for (int i = from; i <= to; i++) joiner.add(String.format("bar%02d=%02d", i, i));
    return joiner.toString();
  }

  @Test
  void read_multipleHeaders_joinedInOrder() {
    TraceState state = read("foo=1,bar=2", "rojo=1,congo=2", "baz=3");

    assertThat(W3CTraceState.encode(state)).isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
  }

  @Test
  void read_duplicateKey_keepsFirst() {
    assertThat(W3CTraceState.encode(read("foo=1,foo=2"))).isEqualTo("foo=1");
    assertThat(W3CTraceState.encode(read("foo=1", "foo=2,bar=3"))).isEqualTo("foo=1,bar=3");
  }

  @Test
  void read_32Members_isKept() {
    TraceState state = read(members(1, 10), members(11, 20), members(21, 30), members(31, 32));

    assertThat(state.size()).isEqualTo(32);
    assertThat(state.get("bar01")).isEqualTo("01");
  }

  @Test
  void read_33Members_isDropped() {
    assertThat(read(members(1, 33)).isEmpty()).isTrue();
  }

  @Test
  void read_33MembersWithADuplicate_countsMembersKept() {
    assertThat(read(members(1, 32) + ",bar01=99").size()).isEqualTo(32);
  }

  @Test
  void read_emptyAndWhitespaceMembers_areSkipped() {
    assertThat(W3CTraceState.encode(read("", "foo=1,, \t ,bar=2", ""))).isEqualTo("foo=1,bar=2");
  }

  @Test
  void read_ows_isTrimmed() {
    TraceState state = read("foo=1 \t , \t bar=2, \t baz=3");

    assertThat(state.get("foo")).isEqualTo("1");
    assertThat(state.get("bar")).isEqualTo("2");
    assertThat(state.get("baz")).isEqualTo("3");
  }

  @Test
  void read_leadingSpaceInValue_isKept() {
    assertThat(read("foo= 1").get("foo")).isEqualTo(" 1");
  }

  @Test
  void read_allAllowedCharacters_isKept() {
    String key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    StringBuilder value = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != ',' && c != '=') value.append(c);
    }

    assertThat(read(key + "=" + value).get(key)).isEqualTo(value.toString());
    assertThat(read(key + "@a-z0-9_-*/=" + value).get(key + "@a-z0-9_-*/"))
        .isEqualTo(value.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo@", "foo@@bar", "foo@bar@baz", "0tenant@vendor", "1"})
  void read_currentKeyGrammar_acceptsAtSigns(String key) {
    TraceState state = read(key + "=1,bar=2");

    assertThat(state.get(key)).isEqualTo("1");
    assertThat(state.get("bar")).isEqualTo("2");
  }

  @Test
  void read_keyLengthLimit_is256() {
    assertThat(read("foo=1", "z".repeat(256) + "=1").size()).isEqualTo(2);
    assertThat(read("foo=1", "z".repeat(257) + "=1").isEmpty()).isTrue();
    assertThat(read("foo=1", "t".repeat(242) + "@v=1").size()).isEqualTo(2);
    assertThat(read("foo=1", "t@" + "v".repeat(15) + "=1").size()).isEqualTo(2);
  }

  @Test
  void read_valueLengthLimit_is256() {
    assertThat(read("foo=" + "v".repeat(256)).size()).isEqualTo(1);
    assertThat(read("foo=" + "v".repeat(257)).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo =1",
        "FOO=1",
        "foo.bar=1",
        "@foo=1,bar=2",
        "_foo=1",
        "foo=bar=baz",
        "foo=,bar=3",
        "foo",
        "foo=1\u00e9",
        "foo=a\tb",
        "bar=2,foo"
      })
  void read_invalidMember_dropsWholeTracestate(String value) {
    assertThat(read(value).isEmpty()).isTrue();
  }

  @Test
  void toBuilder_keepsOrder() {
    TraceState state = read("foo=1,bar=2");

    assertThat(W3CTraceState.encode(state.toBuilder().build())).isEqualTo("foo=1,bar=2");
  }

  @Test
  void asMap_keepsHeaderOrder() {
    assertThat(read("b=1,a=2").asMap())
        .containsExactly(java.util.Map.entry("b", "1"), java.util.Map.entry("a", "2"));
  }
}
