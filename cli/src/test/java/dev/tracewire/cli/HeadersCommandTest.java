package dev.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadersCommandTest {
  static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final String PARENT_ID = "b7ad6b7169203331";
  static final String TRACEPARENT = "traceparent: 00-" + TRACE_ID + "-" + PARENT_ID + "-01";
  static final String B3_OTHER_TRACE = "b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1";

  @Test
  void headers_traceparentArgument_explainsAndInjectsAChild() {
    Cli run = Cli.run("", "headers", TRACEPARENT);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.err).isEmpty();
    JsonNode json = run.json();
    JsonNode tc = format(json, "tracecontext");
    assertThat(tc.path("valid").asBoolean()).isTrue();
    assertThat(tc.path("reason").isNull()).isTrue();
    assertThat(tc.path("traceId").asText()).isEqualTo(TRACE_ID);
    assertThat(tc.path("parentId").asText()).isEqualTo(PARENT_ID);
    assertThat(tc.path("sampled").asBoolean()).isTrue();
    assertThat(tc.path("debug").asBoolean()).isFalse();
    assertThat(json.path("used").asText()).isEqualTo("tracecontext");
    assertThat(json.path("conflicts")).isEmpty();
    assertThat(json.path("remoteParent").asText()).isEqualTo(PARENT_ID);
    assertThat(json.path("trustBoundary").asBoolean()).isFalse();
    assertThat(json.path("downstream").path("note").asText()).isEqualTo(Downstream.NOTE);
    String injected = json.path("downstream").path("headers").path("traceparent").asText();
    assertThat(injected).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
    assertThat(spanId(injected)).isNotEqualTo(PARENT_ID).isNotEqualTo("0000000000000000");
  }

  @Test
  void headers_stdinLines_sameAnswerAsArguments() {
    JsonNode fromStdin =
        Cli.run("TraceParent: " + TRACEPARENT.substring(13) + "\n\n", "headers").json();
    JsonNode fromArgs = Cli.run("", "headers", TRACEPARENT).json();

    assertThat(fromStdin.path("formats")).isEqualTo(fromArgs.path("formats"));
    assertThat(fromStdin.path("used")).isEqualTo(fromArgs.path("used"));
  }

  @Test
  void headers_conflictingB3_isReportedAndTraceparentWins() {
    JsonNode json = Cli.run("", "headers", TRACEPARENT, B3_OTHER_TRACE).json();

    assertThat(json.path("used").asText()).isEqualTo("tracecontext");
    assertThat(texts(json.path("conflicts"))).containsExactly("b3");
    assertThat(format(json, "b3").path("traceId").asText())
        .isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
    JsonNode down = json.path("downstream").path("headers");
    assertThat(down.path("traceparent").asText()).contains(TRACE_ID);
    // b3 arrived, so by default it is answered in b3 too, on the trace that won
    assertThat(down.path("b3").asText()).startsWith(TRACE_ID + "-");
  }

  @Test
  void headers_precedenceFlag_letsB3Win() {
    JsonNode json =
        Cli.run("", "headers", "--precedence", "b3,tracecontext", TRACEPARENT, B3_OTHER_TRACE)
            .json();

    assertThat(json.path("used").asText()).isEqualTo("b3");
    assertThat(texts(json.path("conflicts"))).containsExactly("tracecontext");
    assertThat(json.path("downstream").path("headers").path("traceparent").asText())
        .contains("80f198ee56343ba864fe8b2a57d3eff7");
  }

  @Test
  void headers_injectB3Only_withoutInbound_writesOnlyB3() {
    JsonNode json =
        Cli.run("", "headers", "--inject", "b3", "--no-inject-inbound", TRACEPARENT).json();

    assertThat(names(json.path("downstream").path("headers"))).containsExactly("b3");
  }

  @Test
  void headers_64bitB3_isNormalisedTo128bit() {
    JsonNode json = Cli.run("", "headers", "b3: 463ac35c9f6413ad-0020000000000001-1").json();

    JsonNode b3 = format(json, "b3");
    assertThat(b3.path("valid").asBoolean()).isTrue();
    assertThat(b3.path("traceId").asText()).isEqualTo("0000000000000000463ac35c9f6413ad");
    assertThat(json.path("used").asText()).isEqualTo("b3");
  }

  @Test
  void headers_b3Debug_isReported() {
    JsonNode json = Cli.run("", "headers", "b3: " + TRACE_ID + "-" + PARENT_ID + "-d").json();

    assertThat(format(json, "b3").path("debug").asBoolean()).isTrue();
    assertThat(format(json, "b3").path("sampled").asBoolean()).isTrue();
  }

  @Test
  void headers_sentryWithoutSampledFlag_defers() {
    JsonNode json = Cli.run("", "headers", "sentry-trace: " + TRACE_ID + "-" + PARENT_ID).json();

    JsonNode sentry = format(json, "sentry");
    assertThat(sentry.path("valid").asBoolean()).isTrue();
    assertThat(sentry.has("sampled")).isTrue();
    assertThat(sentry.path("sampled").isNull()).isTrue();
  }

  @Test
  void headers_invalidTraceparent_isAnAnswerNotAnError() {
    Cli run = Cli.run("", "headers", "traceparent: 00-" + TRACE_ID + "-0000000000000000-01");

    assertThat(run.exitCode).as(run.toString()).isZero();
    JsonNode tc = format(run.json(), "tracecontext");
    assertThat(tc.path("valid").asBoolean()).isFalse();
    assertThat(tc.path("reason").asText()).isNotBlank();
    assertThat(run.json().path("used").isNull()).isTrue();
    // nothing to continue: downstream starts a new trace
    assertThat(run.json().path("downstream").path("headers").path("traceparent").asText())
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03")
        .doesNotContain(TRACE_ID);
  }

  @Test
  void headers_noHeaders_startsANewTrace() {
    Cli run = Cli.run("", "headers");

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.json().path("formats")).isEmpty();
    assertThat(run.json().path("used").isNull()).isTrue();
    assertThat(run.json().path("downstream").path("headers").path("traceparent").asText())
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03");
  }

  @Test
  void headers_repeatedTracestate_isForwardedInOrder() {
    JsonNode json =
        Cli.run("", "headers", TRACEPARENT, "tracestate: a=1", "TraceState: b=2,c=3").json();

    assertThat(json.path("downstream").path("headers").path("tracestate").asText())
        .isEqualTo("a=1,b=2,c=3");
  }

  @Test
  void headers_baggageFromTwoFormats_isMerged() {
    JsonNode json =
        Cli.run(
                "",
                "headers",
                TRACEPARENT,
                "baggage: tenant=acme",
                "uber-trace-id: " + TRACE_ID + ":" + PARENT_ID + ":0:1",
                "uberctx-region: eu")
            .json();

    assertThat(json.path("baggage").path("tenant").asText()).isEqualTo("acme");
    assertThat(json.path("baggage").path("region").asText()).isEqualTo("eu");
  }

  @Test
  void headers_requestId_isReportedAndForwarded() {
    JsonNode json = Cli.run("", "headers", TRACEPARENT, "x-request-id: req-7").json();

    assertThat(json.path("requestId").asText()).isEqualTo("req-7");
    assertThat(json.path("downstream").path("headers").path("x-request-id").asText())
        .isEqualTo("req-7");
  }

  @Test
  void headers_textFormat_isForPeople() {
    Cli run = Cli.run("", "headers", "--format", "text", TRACEPARENT, B3_OTHER_TRACE);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .contains(
            "tracecontext  valid  trace " + TRACE_ID + "  parent " + PARENT_ID + "  sampled true")
        .contains("used           tracecontext")
        .contains("conflicts      b3")
        .contains("downstream (" + Downstream.NOTE + ")")
        .containsPattern("  traceparent: 00-" + TRACE_ID + "-[0-9a-f]{16}-01");
  }

  @Test
  void headers_textFormat_showsWhyInvalid_andDeferredSampling() {
    Cli run =
        Cli.run(
            "",
            "headers",
            "--format=text",
            "traceparent: 00-" + TRACE_ID + "-0000000000000000-01",
            "sentry-trace: " + TRACE_ID + "-" + PARENT_ID);

    assertThat(run.out)
        .containsPattern("(?m)^  tracecontext  invalid  \\S.*$")
        .contains(
            "sentry        valid  trace " + TRACE_ID + "  parent " + PARENT_ID + "  sampled defer")
        .contains("used           sentry");
  }

  @Test
  void headers_samplingOnlyB3_isADecisionWithoutIds() {
    Cli json = Cli.run("", "headers", "b3: 0");
    Cli text = Cli.run("", "headers", "--format", "text", "b3: 0");

    JsonNode b3 = format(json.json(), "b3");
    assertThat(b3.path("sampled").asBoolean(true)).isFalse();
    assertThat(b3.path("traceId").isNull()).isTrue();
    assertThat(text.out).containsPattern("(?m)^  b3  .*sampled false$");
    // the service starts a trace, and keeps the caller's decision not to sample it
    JsonNode down = json.json().path("downstream").path("headers");
    assertThat(down.path("traceparent").asText()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-02");
    assertThat(down.path("b3").asText()).endsWith("-0");
  }

  @Test
  void headers_trustBoundary_startsANewTraceAndKeepsTheRemoteParent() {
    JsonNode json =
        Cli.run(
                "",
                "headers",
                "--trust-boundary",
                "traceparent: 00-" + TRACE_ID + "-" + PARENT_ID + "-00")
            .json();

    assertThat(json.path("trustBoundary").asBoolean()).isTrue();
    assertThat(json.path("remoteParent").asText()).isEqualTo(PARENT_ID);
    // the external "not sampled" is refused along with the external trace
    assertThat(json.path("downstream").path("headers").path("traceparent").asText())
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03")
        .doesNotContain(TRACE_ID);
  }

  @Test
  void headers_lineWithoutColon_exits2WithOneLine() {
    Cli run = Cli.run(TRACEPARENT + "\nnot a header\n", "headers");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.out).isEmpty();
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err).startsWith("tracewire headers: line 2: no colon in \"not a header\"");
  }

  @Test
  void headers_argumentWithEmptyName_exits2NamingTheArgument() {
    Cli run = Cli.run("", "headers", TRACEPARENT, ": 1");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err).startsWith("tracewire headers: argument 2: empty header name");
  }

  @Test
  void headers_controlCharacter_exits2() {
    Cli run = Cli.run("b3: 1\u0007\n", "headers");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).startsWith("tracewire headers: line 1: control character U+0007");
  }

  @Test
  void headers_unknownFormatName_exits2() {
    Cli run = Cli.run("", "headers", "--precedence", "b3,zipkin", TRACEPARENT);

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.out).isEmpty();
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err)
        .startsWith("tracewire headers: ")
        .contains("unknown format 'zipkin'")
        .contains("(see: tracewire headers --help)");
  }

  @Test
  void headers_unknownOutputFormat_exits2WithOneLine() {
    Cli run = Cli.run("", "headers", "--format", "yaml", TRACEPARENT);

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err.lines()).hasSize(1);
    assertThat(run.err).startsWith("tracewire headers: Invalid value for option '--format'");
  }

  @Test
  void tracewire_noCommand_printsUsageAndExits2() {
    Cli run = Cli.run("");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("headers").contains("echo");
  }

  @Test
  void headers_arbitraryTraceHeaderValues_alwaysAnswer() {
    Random random = new Random(7);
    String[] names = {
      "traceparent", "tracestate", "b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled",
      "X-B3-Flags", "uber-trace-id", "uberctx-k", "sentry-trace", "baggage", "x-request-id"
    };
    String alphabet = "0123456789abcdefABCDEF-:;,=% ffd";
    for (int i = 0; i < 300; i++) {
      List<String> args = new ArrayList<>(List.of("headers"));
      for (int h = random.nextInt(4); h >= 0; h--) {
        StringBuilder value = new StringBuilder();
        for (int c = random.nextInt(60); c > 0; c--) {
          value.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        args.add(names[random.nextInt(names.length)] + ": " + value);
      }

      Cli run = Cli.run("", args.toArray(new String[0]));

      assertThat(run.exitCode).as("%s%n%s", args, run).isZero();
      JsonNode json = run.json();
      assertThat(json.path("downstream").path("headers").path("traceparent").asText())
          .as("%s", args)
          .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    }
  }

  static JsonNode format(JsonNode json, String id) {
    for (JsonNode f : json.path("formats")) {
      if (f.path("format").asText().equals(id)) return f;
    }
    throw new AssertionError("no format " + id + " in " + json);
  }

  static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  static List<String> names(JsonNode object) {
    List<String> result = new ArrayList<>();
    object.properties().forEach(e -> result.add(e.getKey()));
    return result;
  }

  static String spanId(String traceparent) {
    return traceparent.split("-")[2];
  }
}
