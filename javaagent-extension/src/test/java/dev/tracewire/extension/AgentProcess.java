package dev.tracewire.extension;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link AgentApp} in a child JVM under the released OpenTelemetry javaagent with this module's
 * {@code -all} jar as extension, exporting spans over OTLP/HTTP to {@code otlpEndpoint}.
 */
final class AgentProcess implements AutoCloseable {
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final Pattern LISTENING = Pattern.compile("LISTENING (\\d+)");

  final String name;
  final Process process;
  final List<String> output = new ArrayList<>();
  final CompletableFuture<Integer> listening = new CompletableFuture<>();
  int port;

  /** Starts the app; call {@link #awaitStarted()} before using it. */
  static AgentProcess start(String name, String otlpEndpoint, String... systemProperties)
      throws IOException {
    Path agent = requiredFile("tracewire.it.agentJar");
    Path extension = requiredFile("tracewire.it.extensionJar");
    Path appClasspath = requiredFile("tracewire.it.appClasspath");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + agent);
    command.add("-Dotel.javaagent.extensions=" + extension);
    command.add("-Dotel.propagators=tracewire");
    command.add("-Dotel.service.name=" + name);
    command.add("-Dotel.traces.exporter=otlp");
    command.add("-Dotel.exporter.otlp.traces.protocol=http/protobuf");
    command.add("-Dotel.exporter.otlp.traces.endpoint=" + otlpEndpoint);
    command.add("-Dotel.metrics.exporter=none");
    command.add("-Dotel.logs.exporter=none");
    command.add("-Dotel.bsp.schedule.delay=100");
    for (String property : systemProperties) command.add("-D" + property);
    command.add("-XX:TieredStopAtLevel=1"); // startup over peak speed: the app serves a few calls
    command.add("-cp");
    command.add(appClasspath.toString());
    command.add(AgentApp.class.getName());
    return new AgentProcess(name, new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private AgentProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(this::readOutput, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void readOutput() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        Matcher matcher = LISTENING.matcher(line);
        if (matcher.matches()) listening.complete(Integer.parseInt(matcher.group(1)));
      }
    } catch (IOException e) {
      listening.completeExceptionally(e);
    }
    listening.completeExceptionally(new IllegalStateException("app exited"));
  }

  /**
   * Waits until the app listens; fails naming what went wrong when it or the agent did not start.
   */
  void awaitStarted() throws InterruptedException {
    try {
      port = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      fail(
          name
              + ": the app under the OpenTelemetry javaagent did not start ("
              + e
              + "); output:\n"
              + log());
    }
    String log = log();
    if (!log.contains("opentelemetry-javaagent - version") || log.contains("failed to start")) {
      fail(name + ": the OpenTelemetry javaagent did not start in the app; output:\n" + log);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  String log() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  static Path requiredFile(String property) {
    String value = System.getProperty(property);
    if (value == null) fail(property + " is not set: run this test with `mvn verify`");
    Path path = Path.of(value);
    if (!Files.exists(path)) fail(property + ": " + path + " does not exist; run `mvn verify`");
    return path;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close(); // AgentApp exits when its stdin closes
    } catch (IOException ignored) {
      // already gone
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
