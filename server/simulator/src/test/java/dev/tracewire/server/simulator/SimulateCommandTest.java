package dev.tracewire.server.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tracewire.server.ingest.DecodeResult;
import dev.tracewire.server.ingest.SpanFormat;
import dev.tracewire.server.model.Span;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void out_writesOtlpZipkinAndTruth_thatTheServerDecodersRead() throws Exception {
    StringWriter out = new StringWriter();
    int code =
        run(
            out,
            new StringWriter(),
            "--rate",
            "50",
            "--duration",
            "1s",
            "--seed",
            "3",
            "--faults",
            "context_stripped=0.1,missing_span=0.1",
            "--out",
            dir.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("simulated 50 requests: ");
    List<Span> spans = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("otlp.jsonl"))) {
      DecodeResult r = SpanFormat.OTLP_JSON.decode(line.getBytes(StandardCharsets.UTF_8));
      assertThat(r.isMalformed()).as(r.malformedReason()).isFalse();
      assertThat(r.rejectedCount()).isZero();
      spans.addAll(r.spans());
    }
    DecodeResult zipkin =
        SpanFormat.ZIPKIN_JSON.decode(Files.readAllBytes(dir.resolve("zipkin.json")));
    assertThat(zipkin.isMalformed()).isFalse();
    spans.addAll(zipkin.spans());

    Simulator.Run expected =
        Simulator.newBuilder()
            .seed(3)
            .rate(50)
            .faults("context_stripped=0.1,missing_span=0.1")
            .build()
            .generate(50, 0);
    assertThat(spans).hasSize(expected.spans().size());
    List<String> truth = Files.readAllLines(dir.resolve("truth.jsonl"));
    assertThat(truth).hasSize(expected.truth().size());
    assertThat(truth).anyMatch(l -> l.startsWith("{\"kind\":\"context_stripped\",\"traceIds\":["));
    assertThat(truth)
        .anyMatch(
            l ->
                l.contains(
                    "\"hop\":{\"from\":\"orders\",\"to\":\"shipping\",\"transport\":\"kafka\"}"));
  }

  @Test
  void otlp_postsOtlpJsonAndZipkin_toARealServer() throws Exception {
    List<String> paths = new CopyOnWriteArrayList<>();
    AtomicInteger spans = new AtomicInteger();
    AtomicInteger throttled = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String path = exchange.getRequestURI().getPath();
          // the first request is refused as a full queue would be: the command must retry it
          int status = throttled.getAndIncrement() == 0 ? 429 : 200;
          if (status == 200) {
            paths.add(path);
            SpanFormat format =
                path.equals("/v1/traces") ? SpanFormat.OTLP_JSON : SpanFormat.ZIPKIN_JSON;
            spans.addAndGet(format.decode(body).spans().size());
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      int code =
          run(
              new StringWriter(),
              new StringWriter(),
              "--rate",
              "50",
              "--duration",
              "1s",
              "--no-realtime",
              "--otlp",
              base,
              "--zipkin",
              base);

      assertThat(code).isZero();
      assertThat(paths).contains("/v1/traces", "/api/v2/spans");
      Simulator.Run expected = Simulator.newBuilder().rate(50).build().generate(50, 0);
      assertThat(spans.get()).isEqualTo(expected.spans().size());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void unreachableServer_exits2WithOneLine() throws Exception {
    StringWriter err = new StringWriter();
    int code =
        run(
            new StringWriter(),
            err,
            "--duration",
            "1s",
            "--no-realtime",
            "--otlp",
            "http://127.0.0.1:1",
            "--zipkin",
            "http://127.0.0.1:1"); // whichever export comes first, the server is unreachable

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("simulate: cannot reach http://127.0.0.1:1/")
        .hasLineCount(1);
  }

  @Test
  void badFaults_exits2WithOneLine() throws Exception {
    StringWriter err = new StringWriter();
    int code = run(new StringWriter(), err, "--faults", "nope=1", "--out", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("simulate: faults: unknown kind nope").hasLineCount(1);
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = new CommandLine(new SimulateCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }
}
