package dev.tracewire.instrumentation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hops between this module and a service traced only by OpenTelemetry's javaagent (its own RabbitMQ
 * instrumentation, W3C headers), so a fleet can adopt the kit one service at a time. The peer runs
 * in a child JVM and logs its spans with the agent's logging exporter.
 */
class AgentPeerTest {
  /** The logging exporter's line: {@code 'name' : traceId spanId KIND [tracer: ...] ...}. */
  static final Pattern SPAN_LINE =
      Pattern.compile("'([^']*)' : ([0-9a-f]{32}) ([0-9a-f]{16}) (PRODUCER|CONSUMER) ");

  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static RabbitBroker broker;
  static TracingChannel channel;

  @BeforeAll
  static void connect() throws Exception {
    broker = RabbitBroker.connect();
    channel = RabbitTracing.create(capture.service("kit")).channel(broker.channel());
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (broker != null) broker.close();
  }

  @Test
  void agentPublishes_kitConsumes_childOfTheAgentsProducerSpan() throws Exception {
    String queue = durableQueue("from-agent");
    try {
      List<String[]> agentSpans = runPeer("publish", queue);
      String[] publish = only(agentSpans, "PRODUCER");
      channel.basicConsume(queue, true, (tag, delivery) -> {}, tag -> {});

      SpanData process =
          capture
              .awaitSpan(s -> s.getKind() == SpanKind.CONSUMER, "the kit's CONSUMER span")
              .stream()
              .filter(s -> s.getKind() == SpanKind.CONSUMER)
              .findFirst()
              .orElseThrow();
      assertThat(process.getTraceId()).as("trace id").isEqualTo(publish[1]);
      assertThat(process.getParentSpanId()).as("parent").isEqualTo(publish[2]);
      assertThat(process.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
      assertThat(process.getAttributes().get(HopAttributes.REMOTE_PARENT)).isEqualTo(publish[2]);
    } finally {
      channel.queueDelete(queue);
    }
  }

  @Test
  void kitPublishes_agentConsumes_inTheKitsTrace() throws Exception {
    String queue = durableQueue("to-agent");
    try {
      Span checkout = capture.service("kit").getTracer("test").spanBuilder("checkout").startSpan();
      try (Scope ignored = checkout.makeCurrent()) {
        channel.basicPublish("", queue, null, "order 1".getBytes(StandardCharsets.UTF_8));
      } finally {
        checkout.end();
      }

      String[] process = only(runPeer("consume", queue), "CONSUMER");
      assertThat(process[1])
          .as("the agent's consumer span's trace id")
          .isEqualTo(checkout.getSpanContext().getTraceId());
    } finally {
      channel.queueDelete(queue);
    }
  }

  /**
   * A queue another connection (the child JVM) may use: not exclusive, so deleted by the test, and
   * by the broker two minutes after its last use should the test die first.
   */
  static String durableQueue(String prefix) throws IOException {
    String name = "tracewire.agent." + prefix + "." + UUID.randomUUID();
    channel.queueDeclare(name, false, false, false, Map.of("x-expires", 120_000));
    return name;
  }

  static String[] only(List<String[]> spans, String kind) {
    List<String[]> matching = new ArrayList<>();
    for (String[] span : spans) if (span[3].equals(kind)) matching.add(span);
    assertThat(matching).as("%s spans the agent logged", kind).hasSize(1);
    return matching.get(0);
  }

  /** Runs {@link AgentPeer} under the javaagent; returns its messaging spans. */
  static List<String[]> runPeer(String mode, String queue) throws Exception {
    String agentJar = System.getProperty("tracewire.test.agentJar");
    assertThat(agentJar).as("system property tracewire.test.agentJar (set by the pom)").isNotNull();
    assertThat(new File(agentJar)).as("the javaagent, copied by the pom").exists();
    Path output = Files.createTempFile("agent-peer", ".log");
    Process peer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agentJar,
                "-Dotel.service.name=agent-peer",
                "-Dotel.traces.exporter=logging",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.bsp.schedule.delay=10",
                "-Dotel.javaagent.logging=simple",
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                AgentPeer.class.getName(),
                mode,
                queue)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!peer.waitFor(90, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "the agent peer did not finish in 90 s: " + Files.readString(output));
      }
      String log = Files.readString(output);
      assertThat(peer.exitValue()).as("the agent peer's exit code; its output:%n%s", log).isZero();
      List<String[]> spans = new ArrayList<>();
      Matcher matcher = SPAN_LINE.matcher(log);
      while (matcher.find()) {
        spans.add(
            new String[] {matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4)});
      }
      return spans;
    } finally {
      peer.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }
}
