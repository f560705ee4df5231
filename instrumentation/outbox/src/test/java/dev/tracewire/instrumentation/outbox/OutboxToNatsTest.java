package dev.tracewire.instrumentation.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.instrumentation.nats.NatsTracing;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** service -> PostgreSQL outbox -> relay -> NATS -> consumer is one unbroken trace. */
class OutboxToNatsTest {
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  @Test
  void outboxRow_relayedToNats_oneTraceFromServiceToConsumer() throws Exception {
    String subject = "tracewire.outbox." + UUID.randomUUID().toString().replace("-", "");
    java.sql.Connection service = Postgres.connect();
    java.sql.Connection relay = Postgres.connect();
    String table = Postgres.createOutbox(service);
    Connection nats = natsConnect();
    try {
      CountDownLatch consumed = new CountDownLatch(1);
      nats.createDispatcher(
              NatsTracing.create(capture.service("shipping")).handler(m -> consumed.countDown()))
          .subscribe(subject);
      nats.flush(Duration.ofSeconds(2));

      // the service: its business transaction writes the outbox row
      Span request =
          capture.service("orders").getTracer("test").spanBuilder("POST /orders").startSpan();
      try (Scope ignored = request.makeCurrent()) {
        service.setAutoCommit(false);
        JdbcOutbox.create(OutboxTracing.create(capture.service("orders")), table)
            .add(service, subject, "order 1".getBytes(StandardCharsets.UTF_8));
        service.commit();
      } finally {
        request.end();
      }

      // the relay, later, in another process: no context of its own
      NatsTracing relayNats = NatsTracing.create(capture.service("relay"));
      int relayed =
          JdbcOutbox.create(OutboxTracing.create(capture.service("relay")), table)
              .relay(
                  relay,
                  10,
                  (destination, payload) ->
                      relayNats.publish(
                          nats, NatsMessage.builder().subject(destination).data(payload).build()));
      assertThat(relayed).isEqualTo(1);
      assertThat(consumed.await(5, TimeUnit.SECONDS)).as("consumed").isTrue();

      capture.awaitSpans(5);
      String traceId = request.getSpanContext().getTraceId();
      TraceAssert.assertThat(capture.trace(traceId))
          .isUnbroken()
          .hasHop("orders", "relay", "messaging")
          .hasHop("relay", "shipping", "nats");
      assertThat(capture.spans()).extracting(SpanData::getTraceId).containsOnly(traceId);
    } finally {
      nats.close();
      service.setAutoCommit(true);
      Postgres.drop(service, table);
      service.close();
      relay.close();
    }
  }

  static Connection natsConnect() {
    try {
      return Nats.connect(
          Options.builder()
              .server("nats://127.0.0.1:4222")
              .connectionTimeout(Duration.ofSeconds(3))
              .maxReconnects(0)
              .build());
    } catch (Exception e) {
      throw new AssertionError(
          "NATS not reachable at 127.0.0.1:4222 — start it with: start-stop-daemon --start"
              + " --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js"
              + " -sd /var/lib/nats-server -l /var/log/nats-server.log ("
              + e
              + ")",
          e);
    }
  }
}
