package dev.tracewire.instrumentation.cloudevents;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessageOperation;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The CloudEvents Distributed Tracing extension: an event carries the context of the span that
 * created it in its {@code traceparent} and {@code tracestate} attributes (and {@code baggage}),
 * whatever binding or mode carries the event (HTTP or Kafka, binary or structured).
 *
 * <pre>{@code
 * CloudEventsTracing eventsTracing = CloudEventsTracing.create(openTelemetry);
 * CloudEvent event = eventsTracing.inject(CloudEventBuilder.v1().withId(id).withType(type)...build());
 * // ... send it with any CloudEvents binding; on the other side:
 * eventsTracing.process(receivedEvent, e -> handle(e));
 * }</pre>
 */
public final class CloudEventsTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.cloudevents";

  /** Returns tracing with the defaults. */
  public static CloudEventsTracing create(OpenTelemetry openTelemetry) {
    return new CloudEventsTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  final TextMapPropagator propagator;
  final Instrumenter<EventRequest, Void> createInstrumenter;
  final Instrumenter<EventRequest, Void> processInstrumenter;

  private CloudEventsTracing(OpenTelemetry openTelemetry) {
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.createInstrumenter = instrumenter(openTelemetry, MessageOperation.PUBLISH);
    this.processInstrumenter = instrumenter(openTelemetry, MessageOperation.PROCESS);
  }

  private static Instrumenter<EventRequest, Void> instrumenter(
      OpenTelemetry openTelemetry, MessageOperation operation) {
    // the span creates the event (semconv "create"); 2.31's MessageOperation names it PUBLISH
    String verb = operation == MessageOperation.PUBLISH ? "create " : "process ";
    return Instrumenter.<EventRequest, Void>builder(
            openTelemetry, INSTRUMENTATION_NAME, request -> verb + request.event.getType())
        .addAttributesExtractor(
            MessagingAttributesExtractor.create(EventAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(EventAttributesExtractor.INSTANCE)
        .buildInstrumenter(
            operation == MessageOperation.PUBLISH
                ? SpanKindExtractor.alwaysProducer()
                : SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Returns {@code event} with the Distributed Tracing extension of a new PRODUCER {@code create}
   * span, the child of the current span: {@code traceparent}, {@code tracestate} and {@code
   * baggage} attributes (any the event already had are replaced). Attribute names that CloudEvents
   * does not allow (e.g. {@code x-b3-traceid}) are left out.
   */
  public CloudEvent inject(CloudEvent event) {
    Context parent = Context.current();
    EventRequest request = new EventRequest(event, null, null);
    if (!createInstrumenter.shouldStart(parent, request)) return event;
    Context context = createInstrumenter.start(parent, request);
    CloudEventBuilder builder = CloudEventBuilder.from(event);
    for (String field : propagator.fields()) {
      if (EventCarrier.isAttributeName(field)) builder.withoutExtension(field);
    }
    try (Scope ignored = context.makeCurrent()) {
      propagator.inject(context, builder, EventCarrier.SETTER);
    }
    CloudEvent traced = builder.build();
    createInstrumenter.end(context, request, null, null);
    return traced;
  }

  /**
   * Returns {@code context} with what {@code event}'s Distributed Tracing extension carries (remote
   * parent, baggage, hop diagnostics); {@code context} itself when it carries none.
   */
  public Context extract(Context context, CloudEvent event) {
    return propagator.extract(context, event, EventCarrier.GETTER);
  }

  /**
   * Handles {@code event} in a CONSUMER {@code process} span, the child of the span that created
   * it, with the event's baggage current.
   */
  public void process(CloudEvent event, Consumer<CloudEvent> handler) {
    Context base = Context.current();
    EventRequest request = new EventRequest(event, base, extract(base, event));
    if (!processInstrumenter.shouldStart(request.extracted, request)) {
      handler.accept(event);
      return;
    }
    Context context = processInstrumenter.start(request.extracted, request);
    try (Scope ignored = context.makeCurrent()) {
      handler.accept(event);
    } catch (RuntimeException e) {
      processInstrumenter.end(context, request, null, e);
      throw e;
    }
    processInstrumenter.end(context, request, null, null);
  }

  @Override
  public String toString() {
    return "CloudEventsTracing{propagator=" + propagator + "}";
  }
}
