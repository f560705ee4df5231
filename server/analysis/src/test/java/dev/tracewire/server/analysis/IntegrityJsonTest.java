package dev.tracewire.server.analysis;

import static dev.tracewire.server.analysis.TestObjects.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntegrityJsonTest {
  @Test
  void report_hasTheShapeFixedByTheIssue() {
    String json = IntegrityJson.report(TraceIntegrity.analyze(STRIPPED_AT_PROXY));

    assertThat(json)
        .startsWith("{\"traces\":2,\"spans\":4,\"findings\":[{\"kind\":\"context_stripped\",")
        .contains(
            "\"traceIds\":[\"4bf92f3577b34da6a3ce929d0e0e4736\",\"5bf92f3577b34da6a3ce929d0e0e4737\"]")
        .contains("\"spanIds\":[\"0000000000000002\",\"0000000000000005\"]")
        .contains("\"hop\":{\"from\":\"frontend\",\"to\":\"orders\",\"transport\":\"http\"}")
        .contains("\"blame\":\"path\"")
        .contains("\"evidence\":\"")
        .contains("\"hint\":\"")
        .endsWith(
            "\"edges\":[{\"from\":\"frontend\",\"to\":\"orders\",\"transport\":\"http\",\"intact\":0,\"broken\":1}]}");
  }

  @Test
  void string_escapesControlCharactersAndQuotes() {
    StringBuilder b = new StringBuilder();
    IntegrityJson.string("a\"b\\c\nd\u0001", b);

    assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }

  @Test
  void emptyInput_emptyReport() {
    assertThat(IntegrityJson.report(TraceIntegrity.analyze(java.util.List.of())))
        .isEqualTo("{\"traces\":0,\"spans\":0,\"findings\":[],\"edges\":[]}");
  }
}
