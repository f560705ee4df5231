package dev.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderLinesTest {
  @Test
  void parse_trimsOwsAroundValue_keepsInner() {
    HeaderLines h = HeaderLines.parse(List.of("tracestate: \t a=1, b=2 \t"), "line");

    assertThat(h.value(0)).isEqualTo("a=1, b=2");
  }

  @Test
  void parse_skipsBlankLines_andCrlf() {
    HeaderLines h = HeaderLines.parse(List.of("", "b3: 0\r", "   ", "x-request-id: r1\r"), "line");

    assertThat(h.size()).isEqualTo(2);
    assertThat(h.value(0)).isEqualTo("0");
    assertThat(h.value(1)).isEqualTo("r1");
  }

  @Test
  void parse_emptyValue_isAHeader() {
    HeaderLines h = HeaderLines.parse(List.of("tracestate:"), "line");

    assertThat(h.name(0)).isEqualTo("tracestate");
    assertThat(h.value(0)).isEmpty();
  }

  @Test
  void parse_noColon_namesLineNumber() {
    assertThatThrownBy(() -> HeaderLines.parse(List.of("b3: 0", "", "traceparent"), "line"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 3: no colon in \"traceparent\"");
  }

  @Test
  void parse_emptyName_isRejected() {
    assertThatThrownBy(() -> HeaderLines.parse(List.of(": value"), "argument"))
        .hasMessageStartingWith("argument 1: empty header name");
  }

  @Test
  void parse_spaceInName_isRejected() {
    assertThatThrownBy(() -> HeaderLines.parse(List.of("trace parent: 00"), "line"))
        .hasMessageStartingWith("line 1: invalid character U+0020 in header name \"trace parent\"");
  }

  @Test
  void parse_controlCharacterInValue_isRejected() {
    assertThatThrownBy(() -> HeaderLines.parse(List.of("baggage: a=1\u0000"), "line"))
        .hasMessageStartingWith("line 1: control character U+0000 in the value of \"baggage\"");
    assertThatThrownBy(() -> HeaderLines.parse(List.of("b3: 1\n2"), "argument"))
        .hasMessageStartingWith("argument 1: control character U+000A");
  }

  @Test
  void parse_tabInValue_isAllowed() {
    assertThat(HeaderLines.parse(List.of("baggage: a=1\t;p"), "line").value(0))
        .isEqualTo("a=1\t;p");
  }

  @Test
  void getter_namesAreCaseInsensitive_andRepeatedValuesKeptInOrder() {
    HeaderLines h =
        HeaderLines.parse(List.of("TraceState: a=1", "traceparent: tp", "TRACESTATE: b=2"), "line");

    assertThat(HeaderLines.GETTER.get(h, "tracestate")).isEqualTo("a=1");
    assertThat(HeaderLines.GETTER.getAll(h, "tracestate"))
        .toIterable()
        .containsExactly("a=1", "b=2");
    assertThat(HeaderLines.GETTER.get(h, "TRACEPARENT")).isEqualTo("tp");
    assertThat(HeaderLines.GETTER.get(h, "b3")).isNull();
    assertThat(HeaderLines.GETTER.getAll(h, "b3")).toIterable().isEmpty();
    assertThat(HeaderLines.GETTER.keys(h)).containsExactly("tracestate", "traceparent");
  }

  @Test
  void of_copiesEveryValue_andSkipsTheStatusLineKey() {
    Map<String, List<String>> jdk = new java.util.HashMap<>();
    jdk.put(null, List.of("HTTP/1.1 200 OK"));
    jdk.put("Tracestate", List.of("a=1", "b=2"));

    HeaderLines h = HeaderLines.of(jdk);

    assertThat(h.all("tracestate")).containsExactly("a=1", "b=2");
    assertThat(h.size()).isEqualTo(2);
  }

  @Test
  void parse_arbitraryInput_eitherParsesOrNamesTheLine() {
    Random random = new Random(20261127);
    String alphabet = "ab3:- \t\r\n\u0000\u007f\u00e9=,;traceparent";
    for (int i = 0; i < 5_000; i++) {
      List<String> lines = new ArrayList<>();
      for (int l = random.nextInt(4); l >= 0; l--) {
        StringBuilder line = new StringBuilder();
        for (int c = random.nextInt(12); c > 0; c--) {
          line.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        lines.add(line.toString());
      }
      try {
        HeaderLines parsed = HeaderLines.parse(lines, "line");
        for (int h = 0; h < parsed.size(); h++) {
          assertThat(parsed.name(h)).as("%s", lines).isNotEmpty().doesNotContain(":", " ");
        }
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).as("%s", lines).matches("line [1-4]: [^\n]+");
      }
    }
  }
}
