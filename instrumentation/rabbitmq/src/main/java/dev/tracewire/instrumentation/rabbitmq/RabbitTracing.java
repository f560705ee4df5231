package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessageOperation;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingSpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Traces the RabbitMQ Java client: hands out {@link TracingChannel}s whose publishes carry the
 * trace in the message headers and whose consumers continue it.
 *
 * <pre>{@code
 * RabbitTracing rabbitTracing = RabbitTracing.create(openTelemetry);
 * Channel channel = rabbitTracing.channel(connection.createChannel());
 * channel.basicPublish("", "orders", null, body);              // PRODUCER span, headers injected
 * channel.basicConsume("orders", true, deliverCallback, tag -> {}); // CONSUMER span per delivery
 * }</pre>
 */
public final class RabbitTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.rabbitmq";

  /** Returns tracing with the defaults; see {@link #newBuilder(OpenTelemetry)} for the options. */
  public static RabbitTracing create(OpenTelemetry openTelemetry) {
    return newBuilder(openTelemetry).build();
  }

  /** Returns a builder of tracing that reports to {@code openTelemetry}. */
  public static Builder newBuilder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  final TextMapPropagator propagator;
  final Instrumenter<PublishRequest, Void> publishInstrumenter;
  final Instrumenter<DeliveryRequest, Void> processInstrumenter;
  final Instrumenter<DeliveryRequest, Void> receiveInstrumenter;
  final boolean messageIdWhenAbsent;
  final boolean deadLettersContinueTrace;

  private RabbitTracing(Builder builder) {
    this.propagator = builder.openTelemetry.getPropagators().getTextMapPropagator();
    this.messageIdWhenAbsent = builder.messageIdWhenAbsent;
    this.deadLettersContinueTrace = builder.deadLettersContinueTrace;
    this.publishInstrumenter =
        Instrumenter.<PublishRequest, Void>builder(
                builder.openTelemetry,
                INSTRUMENTATION_NAME,
                MessagingSpanNameExtractor.create(
                    PublishAttributesGetter.INSTANCE, MessageOperation.PUBLISH))
            .addAttributesExtractor(
                MessagingAttributesExtractor.builder(
                        PublishAttributesGetter.INSTANCE, MessageOperation.PUBLISH)
                    .setCapturedHeaders(builder.capturedHeaders)
                    .build())
            .addAttributesExtractor(PublishAttributesExtractor.INSTANCE)
            .addSpanLinksExtractor(PublishRequest::addLinks)
            .buildInstrumenter(SpanKindExtractor.alwaysProducer());
    this.processInstrumenter = consumerInstrumenter(builder, MessageOperation.PROCESS);
    this.receiveInstrumenter = consumerInstrumenter(builder, MessageOperation.RECEIVE);
  }

  private static Instrumenter<DeliveryRequest, Void> consumerInstrumenter(
      Builder builder, MessageOperation operation) {
    return Instrumenter.<DeliveryRequest, Void>builder(
            builder.openTelemetry,
            INSTRUMENTATION_NAME,
            MessagingSpanNameExtractor.create(DeliveryAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(
            MessagingAttributesExtractor.builder(DeliveryAttributesGetter.INSTANCE, operation)
                .setCapturedHeaders(builder.capturedHeaders)
                .build())
        .addAttributesExtractor(DeliveryAttributesExtractor.INSTANCE)
        .addSpanLinksExtractor(DeliveryRequest::addLinks)
        .buildInstrumenter(SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Returns {@code channel} traced: publishes get a PRODUCER span and carry its context in the
   * message headers, deliveries to consumers get a CONSUMER {@code process} span around the
   * consumer's callback, and {@code basicGet} a CONSUMER {@code receive} span. A channel that is
   * already traced is returned as is.
   */
  public TracingChannel channel(Channel channel) {
    Objects.requireNonNull(channel, "channel");
    if (channel instanceof TracingChannel) return (TracingChannel) channel;
    return new TracingChannel(channel, this);
  }

  /**
   * Returns the context in which to process a message that a {@link TracingChannel#basicGet}
   * returned: its {@code receive} span and the baggage that came with the message. For a response
   * that was not traced, returns {@link Context#current()}.
   *
   * <pre>{@code
   * GetResponse response = channel.basicGet("orders", false);
   * try (Scope scope = rabbitTracing.context(response).makeCurrent()) {
   *   handle(response);
   * }
   * }</pre>
   */
  public Context context(GetResponse response) {
    if (response instanceof TracedGetResponse) return ((TracedGetResponse) response).context;
    return Context.current();
  }

  /**
   * Returns a copy of {@code resend} whose headers name {@code consumed}'s original publish in
   * {@code tracewire-origin}, so the republished message's spans link to it. Only needed when
   * {@code resend} does not copy {@code consumed}'s headers: a {@link TracingChannel} recognises
   * copied ones by itself.
   *
   * <pre>{@code
   * channel.basicPublish("", "orders.retry", rabbitTracing.keepOrigin(delivery.getProperties(),
   *     new AMQP.BasicProperties.Builder().expiration("60000").build()), delivery.getBody());
   * }</pre>
   */
  public AMQP.BasicProperties keepOrigin(
      AMQP.BasicProperties consumed, AMQP.BasicProperties resend) {
    Map<String, Object> consumedHeaders = consumed == null ? null : consumed.getHeaders();
    SpanContext origin = OriginHeader.read(consumedHeaders);
    if (!origin.isValid()) {
      origin =
          Span.fromContext(propagator.extract(Context.root(), consumedHeaders, Headers.INSTANCE))
              .getSpanContext();
    }
    AMQP.BasicProperties.Builder builder =
        resend == null ? new AMQP.BasicProperties.Builder() : resend.builder();
    if (!origin.isValid()) return builder.build();
    Map<String, Object> original = resend == null ? null : resend.getHeaders();
    Map<String, Object> headers = original == null ? new HashMap<>(4) : new HashMap<>(original);
    OriginHeader.write(headers, origin);
    return builder.headers(headers).build();
  }

  @Override
  public String toString() {
    return "RabbitTracing{propagator="
        + propagator
        + ", messageIdWhenAbsent="
        + messageIdWhenAbsent
        + ", deadLettersContinueTrace="
        + deadLettersContinueTrace
        + "}";
  }

  /** Options of {@link RabbitTracing}. */
  public static final class Builder {
    final OpenTelemetry openTelemetry;
    boolean messageIdWhenAbsent = true;
    boolean deadLettersContinueTrace = true;
    List<String> capturedHeaders = new ArrayList<>();

    Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether a publish without a message id gets a random one, so that the producer and consumer
     * spans pair by {@code messaging.message.id}. Default true.
     */
    public Builder messageIdWhenAbsent(boolean messageIdWhenAbsent) {
      this.messageIdWhenAbsent = messageIdWhenAbsent;
      return this;
    }

    /**
     * Whether a dead-lettered delivery (one with an {@code x-death} header) continues the trace of
     * its original publish. Either way its CONSUMER span links to that publish; when false it
     * starts a new trace, which suits redeliveries that come hours later. Default true.
     */
    public Builder deadLettersContinueTrace(boolean deadLettersContinueTrace) {
      this.deadLettersContinueTrace = deadLettersContinueTrace;
      return this;
    }

    /**
     * Message headers to record as {@code messaging.header.<name>} span attributes, on both sides.
     * Default none.
     */
    public Builder capturedHeaders(Collection<String> headers) {
      this.capturedHeaders = new ArrayList<>(Objects.requireNonNull(headers, "headers"));
      return this;
    }

    /** Returns the tracing. */
    public RabbitTracing build() {
      return new RabbitTracing(this);
    }
  }
}
