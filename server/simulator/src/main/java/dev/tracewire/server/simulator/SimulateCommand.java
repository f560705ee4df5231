package dev.tracewire.server.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zipkin2.codec.SpanBytesEncoder;

/**
 * {@code tracewire simulate}: realistic traffic with injected faults, sent to a server or written
 * to files, with its ground truth.
 *
 * <p>{@code tracewire simulate --rate 200 --duration 30s --faults context_stripped=0.05 --otlp
 * http://127.0.0.1:4318 --out sim/}
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates a shop of fifteen services (HTTP, gRPC, Kafka, RabbitMQ, NATS, MQTT, an Envoy mesh;",
      "kit, plain OpenTelemetry and Brave services) with faults injected at chosen rates.",
      "Sends OTLP/JSON and Zipkin v2 to a server (--otlp) and/or writes otlp.jsonl, zipkin.json",
      "and truth.jsonl (every injected fault and every intact hop) to --out."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Requests per second at the frontend (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      description = "Simulated time, e.g. 30s, 5m (default ${DEFAULT-VALUE}).")
  String duration;

  @Option(
      names = "--faults",
      defaultValue = "",
      description =
          "Fault rates per applicable hop: kind=rate,... (kinds: ${COMPLETION-CANDIDATES}).",
      completionCandidates = FaultNames.class)
  String faults;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--otlp", description = "OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318.")
  URI otlp;

  @Option(
      names = "--zipkin",
      description =
          "Zipkin endpoint for Brave and Envoy spans (default: --otlp's host, port 9411).")
  URI zipkin;

  @Option(names = "--out", description = "Directory for otlp.jsonl, zipkin.json and truth.jsonl.")
  Path out;

  @Option(
      names = "--realtime",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With --otlp, send each batch when it is due (default); else as fast as possible.")
  boolean realtime;

  /** Picocli's constructor. */
  public SimulateCommand() {}

  /** The fault kinds, for picocli's help. */
  static final class FaultNames extends ArrayList<String> {
    FaultNames() {
      for (Fault f : Fault.values()) add(f.wireName());
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Simulator sim;
    Duration simulated;
    try {
      simulated = parseDuration(duration);
      sim = Simulator.newBuilder().seed(seed).rate(rate).faults(faults).build();
    } catch (IllegalArgumentException e) {
      stderr.println("simulate: " + e.getMessage());
      return 2;
    }
    if (otlp == null && out == null) {
      stderr.println("simulate: nothing to do (expected: --otlp URL and/or --out DIR)");
      return 2;
    }
    int requests = (int) Math.max(1, Math.round(rate * simulated.toNanos() / 1e9));
    Instant now = Instant.now();
    long start = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    Simulator.Run run = sim.generate(requests, start);
    long faultCount = run.truth().stream().filter(Truth::isFault).count();
    if (out != null) {
      try {
        write(run, out);
      } catch (IOException e) {
        stderr.println("simulate: cannot write " + out + ": " + e.getMessage());
        return 2;
      }
    }
    if (otlp != null) {
      URI z = zipkin != null ? zipkin : URI.create("http://" + otlp.getHost() + ":9411");
      String problem = send(run, otlp, z, realtime);
      if (problem != null) {
        stderr.println("simulate: " + problem);
        return 2;
      }
    }
    stdout.printf(
        Locale.ROOT,
        "simulated %d requests: %d spans in %d batches, %d faults, %d intact hops%s%s%n",
        requests,
        run.spans().size(),
        run.batches().size(),
        faultCount,
        run.truth().size() - faultCount,
        otlp == null ? "" : "; sent to " + otlp,
        out == null ? "" : "; wrote " + out);
    stdout.flush();
    return 0;
  }

  static void write(Simulator.Run run, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<zipkin2.Span> zipkinSpans = new ArrayList<>();
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("otlp.jsonl"))) {
      for (Batch b : run.batches()) {
        if (b.isZipkin()) {
          zipkinSpans.addAll(b.zipkinSpans());
          continue;
        }
        w.write(new String(OtlpJson.encode(b.spans()), StandardCharsets.UTF_8));
        w.newLine();
      }
    }
    Files.write(dir.resolve("zipkin.json"), SpanBytesEncoder.JSON_V2.encodeList(zipkinSpans));
    try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("truth.jsonl"))) {
      for (Truth t : run.truth()) {
        w.write(TruthJson.write(t));
        w.newLine();
      }
    }
  }

  /** Sends every batch; returns null, or one line saying why it stopped. */
  static String send(Simulator.Run run, URI otlp, URI zipkin, boolean realtime)
      throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI otlpTraces = otlp.resolve("/v1/traces");
    URI zipkinSpans = zipkin.resolve("/api/v2/spans");
    long first = run.batches().isEmpty() ? 0 : run.batches().get(0).arrivalEpochNanos();
    long began = System.nanoTime();
    for (Batch b : run.batches()) {
      if (realtime) {
        long wait = (b.arrivalEpochNanos() - first) - (System.nanoTime() - began);
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      byte[] body =
          b.isZipkin()
              ? SpanBytesEncoder.JSON_V2.encodeList(b.zipkinSpans())
              : OtlpJson.encode(b.spans());
      URI target = b.isZipkin() ? zipkinSpans : otlpTraces;
      String problem = post(client, target, body);
      if (problem != null) return problem;
    }
    return null;
  }

  private static String post(HttpClient client, URI target, byte[] body)
      throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    long backoff = 100;
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        return "cannot reach " + target + ": " + e;
      }
      int code = response.statusCode();
      if (code / 100 == 2) return null;
      // the server answers 429/503 when its queue is full: retry as an OTLP exporter would
      if ((code == 429 || code == 503) && attempt < 8) {
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
        continue;
      }
      return target + " answered " + code + ": " + response.body();
    }
  }

  static Duration parseDuration(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      if (v.endsWith("s"))
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      if (v.endsWith("m"))
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      if (v.endsWith("h")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("duration: " + s + " (expected e.g. 30s, 5m)");
    }
  }
}
