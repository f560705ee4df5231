package dev.tracewire.server.app;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.simulator.Simulator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracewire server --demo}: the simulator's traffic (a frontend and a dozen services over
 * HTTP, gRPC, Kafka, RabbitMQ, NATS/MQTT and mesh proxies, with every kind of lost hop injected)
 * fed into the running server through the same pipeline as OTLP, so broken and whole traces show at
 * once.
 */
final class Demo implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Demo.class);

  /** Every finding kind, rare enough that most hops stay whole. */
  static final String FAULTS =
      "context_not_injected=0.02,context_stripped=0.02,context_not_extracted=0.02,"
          + "format_mismatch=0.02,context_conflict=0.02,missing_span=0.02,sampling_split=0.02,"
          + "unpaired_exit=0.05,clock_skew=0.02";

  private final AutoCloseable simulation;

  private Demo(AutoCloseable simulation) {
    this.simulation = simulation;
  }

  /** Starts feeding {@code server} about {@code tracesPerSecond} simulated traces a second. */
  static Demo start(TracewireServer server, double tracesPerSecond) {
    Simulator simulator =
        Simulator.newBuilder().seed(System.nanoTime()).rate(tracesPerSecond).faults(FAULTS).build();
    return new Demo(simulator.start(spans -> submit(server, spans)));
  }

  // waits until stored, so a slow disk slows the simulation instead of filling the queue
  private static void submit(TracewireServer server, List<Span> spans) {
    while (true) {
      CompletableFuture<Void> durable = server.submit(spans, "demo");
      if (durable != null) {
        try {
          durable.join();
        } catch (CompletionException e) {
          logger.debug("demo batch not stored", e);
        }
        return;
      }
      try {
        Thread.sleep(100); // queue full: the answer an exporter would get is "retry"
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    try {
      simulation.close();
    } catch (Exception e) {
      logger.warn("stopping the demo traffic failed", e);
    }
  }
}
