package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {
  static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLEE_TRACE = "5bf92f3577b34da6a3ce929d0e0e4737";

  /** frontend's client span injected tracecontext and sent x-request-id. */
  static final String FRONTEND_OTLP =
      """
      {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},
       "scopeSpans":[{"spans":[
        {"traceId":"%s","spanId":"0000000000000001","name":"GET /checkout","kind":2,
         "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000100000000",
         "attributes":[{"key":"tracewire.propagation.received","value":{"arrayValue":{"values":[]}}}]},
        {"traceId":"%s","spanId":"0000000000000002","parentSpanId":"0000000000000001","name":"POST","kind":3,
         "startTimeUnixNano":"1700000000010000000","endTimeUnixNano":"1700000000090000000",
         "attributes":[
          {"key":"http.request.method","value":{"stringValue":"POST"}},
          {"key":"url.full","value":{"stringValue":"http://orders:8080/orders"}},
          {"key":"server.address","value":{"stringValue":"orders"}},
          {"key":"tracewire.propagation.injected","value":{"arrayValue":{"values":[{"stringValue":"tracecontext"},{"stringValue":"xrequestid"}]}}},
          {"key":"http.request.header.x-request-id","value":{"arrayValue":{"values":[{"stringValue":"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}]}}}]}
       ]}]}]}
      """
          .formatted(CALLER_TRACE, CALLER_TRACE)
          .replace("\n", "");

  /** orders received nothing but the request id, and started its own trace. */
  static final String ORDERS_OTLP =
      """
      {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},
       "scopeSpans":[{"spans":[
        {"traceId":"%s","spanId":"0000000000000005","name":"POST /orders","kind":2,
         "startTimeUnixNano":"1700000000012000000","endTimeUnixNano":"1700000000088000000",
         "attributes":[
          {"key":"http.request.method","value":{"stringValue":"POST"}},
          {"key":"url.path","value":{"stringValue":"/orders"}},
          {"key":"tracewire.propagation.received","value":{"arrayValue":{"values":[{"stringValue":"xrequestid"}]}}},
          {"key":"http.request.header.x-request-id","value":{"arrayValue":{"values":[{"stringValue":"f81d4fae-7dec-11d0-a765-00a0c91e6bf6"}]}}}]}
       ]}]}]}
      """
          .formatted(CALLEE_TRACE)
          .replace("\n", "");

  /** A Brave client and server sharing one span id: an intact hop in Zipkin's model. */
  static final String ZIPKIN =
      """
      [{"traceId":"6bf92f3577b34da6","id":"000000000000000a","kind":"CLIENT","name":"get",
        "timestamp":1700000001000000,"duration":50000,"localEndpoint":{"serviceName":"shipping"},
        "tags":{"http.method":"GET","http.path":"/rates"}},
       {"traceId":"6bf92f3577b34da6","id":"000000000000000a","kind":"SERVER","name":"get /rates",
        "timestamp":1700000001001000,"duration":48000,"localEndpoint":{"serviceName":"rates"},
        "shared":true,"tags":{"http.method":"GET","http.path":"/rates"}}]
      """;

  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return new CommandLine(new AnalyzeCommand())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void otlpLinesAndZipkinFile_oneJsonObjectWithTheFixedShape() throws Exception {
    Path otlp = write("spans.otlp.jsonl", FRONTEND_OTLP + "\n" + ORDERS_OTLP + "\n");
    Path zipkin = write("zipkin.json", ZIPKIN);

    int code = run(otlp.toString(), zipkin.toString());

    assertThat(code).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString().strip().lines()).hasSize(1);
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.get("traces").asInt()).isEqualTo(3);
    assertThat(report.get("spans").asInt()).isEqualTo(5);
    assertThat(report.get("findings")).hasSize(1);
    JsonNode f = report.get("findings").get(0);
    assertThat(f.get("kind").asText()).isEqualTo("context_stripped");
    assertThat(f.get("blame").asText()).isEqualTo("path");
    assertThat(f.get("traceIds").get(0).asText()).isEqualTo(CALLER_TRACE);
    assertThat(f.get("traceIds").get(1).asText()).isEqualTo(CALLEE_TRACE);
    assertThat(f.get("spanIds").get(0).asText()).isEqualTo("0000000000000002");
    assertThat(f.get("hop").get("from").asText()).isEqualTo("frontend");
    assertThat(f.get("hop").get("to").asText()).isEqualTo("orders");
    assertThat(f.get("hop").get("transport").asText()).isEqualTo("http");
    assertThat(f.get("evidence").asText()).contains("x-request-id");
    assertThat(f.get("hint").asText()).isNotEmpty();
    assertThat(report.get("edges").toString())
        .contains(
            "{\"from\":\"frontend\",\"to\":\"orders\",\"transport\":\"http\",\"intact\":0,\"broken\":1}")
        .contains(
            "{\"from\":\"shipping\",\"to\":\"rates\",\"transport\":\"http\",\"intact\":1,\"broken\":0}");
  }

  @Test
  void otlpRequestPerFile_sameFindingAsPerLine() throws Exception {
    Path a = write("frontend.json", FRONTEND_OTLP);
    Path b = write("orders.json", ORDERS_OTLP);

    assertThat(run(a.toString(), b.toString())).isZero();

    assertThat(out.toString()).contains("\"kind\":\"context_stripped\"");
  }

  @Test
  void textFormat_forPeople() throws Exception {
    Path otlp = write("spans.jsonl", FRONTEND_OTLP + "\n" + ORDERS_OTLP);

    assertThat(run("--format", "text", otlp.toString())).isZero();

    assertThat(out.toString())
        .startsWith("2 traces, 3 spans, 1 finding")
        .contains("context_stripped  frontend -> orders (http)  blame: path")
        .contains("frontend -> orders (http)  0/1  0.0%");
  }

  @Test
  void unreadableInput_exit2_oneLine() throws Exception {
    Path bad = write("bad.json", "{\"resourceSpans\": [ {");

    int code = run(bad.toString());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("tracewire analyze: " + bad + ": invalid JSON");
  }

  @Test
  void badLineInJsonLines_exit2_namesTheLine() throws Exception {
    Path bad = write("bad.jsonl", FRONTEND_OTLP + "\nnot json\n");

    assertThat(run(bad.toString())).isEqualTo(2);

    assertThat(err.toString().strip())
        .isEqualTo("tracewire analyze: " + bad + ": line 2: neither OTLP JSON nor Zipkin v2 JSON");
  }

  @Test
  void missingFile_exit2() {
    assertThat(run(dir.resolve("nope.json").toString())).isEqualTo(2);

    assertThat(err.toString()).startsWith("tracewire analyze: ").contains("cannot read");
  }
}
