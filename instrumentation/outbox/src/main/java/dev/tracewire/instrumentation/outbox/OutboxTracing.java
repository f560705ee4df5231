package dev.tracewire.instrumentation.outbox;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessageOperation;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingSpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Traces a transactional outbox: the service stores the trace context with the outbox row, in the
 * same transaction as its business data, and the relay that later publishes the row continues that
 * trace, so it runs service -> database -> relay -> broker -> consumer.
 *
 * <pre>{@code
 * OutboxTracing outboxTracing = OutboxTracing.create(openTelemetry);
 * // in the service's transaction: a PRODUCER span; store `context` in the row
 * outboxTracing.write("orders", context -> insertOutboxRow(tx, "orders", payload, context));
 * // in the relay: a CONSUMER span, child of the service's; publish inside it
 * outboxTracing.relay(row.context(), "orders", row.id(), () -> broker.publish("orders", row.payload()));
 * }</pre>
 *
 * <p>{@link JdbcOutbox} does both over a JDBC table.
 */
public final class OutboxTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.outbox";

  /** Returns tracing with the defaults. */
  public static OutboxTracing create(OpenTelemetry openTelemetry) {
    return new OutboxTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** Writes the outbox row, given the context to store with it. */
  @FunctionalInterface
  public interface RowWriter<T, E extends Exception> {
    /** Inserts the row with {@code context} in its context column; returns e.g. the row id. */
    T write(String context) throws E;
  }

  /** Publishes a relayed row. */
  @FunctionalInterface
  public interface RowPublisher<E extends Exception> {
    /** Publishes the row to the broker; runs with the relay's span current. */
    void publish() throws E;
  }

  final TextMapPropagator propagator;
  final Instrumenter<OutboxRequest, String> writeInstrumenter;
  final Instrumenter<OutboxRequest, String> relayInstrumenter;

  private OutboxTracing(OpenTelemetry openTelemetry) {
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.writeInstrumenter = instrumenter(openTelemetry, MessageOperation.PUBLISH);
    this.relayInstrumenter = instrumenter(openTelemetry, MessageOperation.PROCESS);
  }

  private static Instrumenter<OutboxRequest, String> instrumenter(
      OpenTelemetry openTelemetry, MessageOperation operation) {
    return Instrumenter.<OutboxRequest, String>builder(
            openTelemetry,
            INSTRUMENTATION_NAME,
            MessagingSpanNameExtractor.create(OutboxAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(
            MessagingAttributesExtractor.create(OutboxAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(OutboxAttributesExtractor.INSTANCE)
        .buildInstrumenter(
            operation == MessageOperation.PUBLISH
                ? SpanKindExtractor.alwaysProducer()
                : SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Runs {@code writer} in a PRODUCER span for {@code destination}, handing it the span's context
   * encoded as text ({@link OutboxContext}) to store with the row. Returns what {@code writer}
   * returned; when it is a row id, pass it as a String to be recorded as {@code
   * messaging.message.id}.
   */
  public <T, E extends Exception> T write(String destination, RowWriter<T, E> writer) throws E {
    Context parent = Context.current();
    OutboxRequest request = OutboxRequest.write(destination);
    if (!writeInstrumenter.shouldStart(parent, request)) {
      return writer.write(encode(parent));
    }
    Context context = writeInstrumenter.start(parent, request);
    T result;
    try (Scope ignored = context.makeCurrent()) {
      result = writer.write(encode(context));
    } catch (Exception e) {
      writeInstrumenter.end(context, request, null, e);
      throw e;
    }
    writeInstrumenter.end(context, request, result == null ? null : result.toString(), null);
    return result;
  }

  /**
   * Runs {@code publisher} in a CONSUMER {@code process} span for a relayed row, the child of the
   * span that wrote it ({@code storedContext}, as {@link #write} handed it out), with the row's
   * baggage current; a broker instrumentation's publish inside continues the trace.
   *
   * @param rowId the row's id, recorded as {@code messaging.message.id}, or {@code null}
   */
  public <E extends Exception> void relay(
      String storedContext, String destination, String rowId, RowPublisher<E> publisher) throws E {
    Context base = Context.current();
    Map<String, String> fields = OutboxContext.decode(storedContext);
    Context extracted =
        fields.isEmpty() ? base : propagator.extract(base, fields, OutboxContext.CARRIER);
    OutboxRequest request = OutboxRequest.relay(destination, rowId, base, extracted);
    if (!relayInstrumenter.shouldStart(extracted, request)) {
      publisher.publish();
      return;
    }
    Context context = relayInstrumenter.start(extracted, request);
    try (Scope ignored = context.makeCurrent()) {
      publisher.publish();
    } catch (Exception e) {
      relayInstrumenter.end(context, request, null, e);
      throw e;
    }
    relayInstrumenter.end(context, request, null, null);
  }

  String encode(Context context) {
    Map<String, String> fields = new LinkedHashMap<>();
    propagator.inject(context, fields, OutboxContext.CARRIER);
    return OutboxContext.encode(fields);
  }

  @Override
  public String toString() {
    return "OutboxTracing{propagator=" + propagator + "}";
  }
}
