package dev.tracewire.instrumentation.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessageOperation;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingSpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * Traces the NATS Java client: publishes (core and JetStream) carry the trace in NATS headers,
 * handlers continue it, and request/reply stays one trace.
 *
 * <pre>{@code
 * NatsTracing natsTracing = NatsTracing.create(openTelemetry);
 * natsTracing.publish(connection, NatsMessage.builder().subject("orders").data(body).build());
 * connection.createDispatcher(natsTracing.handler(message -> handle(message))).subscribe("orders");
 * Message reply = natsTracing.request(connection, request, Duration.ofSeconds(2));
 * }</pre>
 */
public final class NatsTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.nats";

  /** The JetStream de-duplication header, also used as the message id on core NATS. */
  static final String MESSAGE_ID_HEADER = "Nats-Msg-Id";

  /** Returns tracing with the defaults; see {@link #newBuilder(OpenTelemetry)} for the options. */
  public static NatsTracing create(OpenTelemetry openTelemetry) {
    return newBuilder(openTelemetry).build();
  }

  /** Returns a builder of tracing that reports to {@code openTelemetry}. */
  public static Builder newBuilder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  final TextMapPropagator propagator;
  final boolean messageIdWhenAbsent;
  final Instrumenter<NatsRequest, PublishAck> publishInstrumenter;
  final Instrumenter<NatsRequest, Void> processInstrumenter;
  final Instrumenter<NatsRequest, Void> receiveInstrumenter;

  private NatsTracing(Builder builder) {
    this.propagator = builder.openTelemetry.getPropagators().getTextMapPropagator();
    this.messageIdWhenAbsent = builder.messageIdWhenAbsent;
    this.publishInstrumenter =
        Instrumenter.<NatsRequest, PublishAck>builder(
                builder.openTelemetry,
                INSTRUMENTATION_NAME,
                MessagingSpanNameExtractor.create(
                    NatsAttributesGetter.publish(), MessageOperation.PUBLISH))
            .addAttributesExtractor(
                MessagingAttributesExtractor.builder(
                        NatsAttributesGetter.publish(), MessageOperation.PUBLISH)
                    .setCapturedHeaders(builder.capturedHeaders)
                    .build())
            .addAttributesExtractor(NatsAttributesExtractor.publish())
            .buildInstrumenter(SpanKindExtractor.alwaysProducer());
    this.processInstrumenter = consumer(builder, MessageOperation.PROCESS);
    this.receiveInstrumenter = consumer(builder, MessageOperation.RECEIVE);
  }

  private static Instrumenter<NatsRequest, Void> consumer(
      Builder builder, MessageOperation operation) {
    return Instrumenter.<NatsRequest, Void>builder(
            builder.openTelemetry,
            INSTRUMENTATION_NAME,
            MessagingSpanNameExtractor.create(NatsAttributesGetter.delivery(), operation))
        .addAttributesExtractor(
            MessagingAttributesExtractor.builder(NatsAttributesGetter.delivery(), operation)
                .setCapturedHeaders(builder.capturedHeaders)
                .build())
        .addAttributesExtractor(NatsAttributesExtractor.delivery())
        .buildInstrumenter(SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Publishes {@code message} on {@code connection} in a PRODUCER span whose context travels in a
   * copy of the message's headers.
   */
  public void publish(Connection connection, Message message) {
    Context parent = Context.current();
    NatsRequest request = NatsRequest.publish(this, message, false);
    if (!publishInstrumenter.shouldStart(parent, request)) {
      connection.publish(message);
      return;
    }
    Context context = publishInstrumenter.start(parent, request);
    Message traced = traced(context, message, request, message.getReplyTo());
    try (Scope ignored = context.makeCurrent()) {
      connection.publish(traced);
    } catch (RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    publishInstrumenter.end(context, request, null, null);
  }

  /**
   * Sends {@code message} as a request and waits up to {@code timeout} for the reply, which is
   * returned ({@code null} on timeout, as {@link Connection#request(Message, Duration)} does). The
   * request gets a PRODUCER span; a reply sent by a traced responder gets a CONSUMER {@code
   * receive} span that continues the same trace.
   */
  public Message request(Connection connection, Message message, Duration timeout)
      throws InterruptedException {
    Context parent = Context.current();
    NatsRequest request = NatsRequest.publish(this, message, false);
    if (!publishInstrumenter.shouldStart(parent, request)) {
      return connection.request(message, timeout);
    }
    Context context = publishInstrumenter.start(parent, request);
    // the connection picks the reply inbox
    Message traced = traced(context, message, request, null);
    Message reply;
    try (Scope ignored = context.makeCurrent()) {
      reply = connection.request(traced, timeout);
    } catch (InterruptedException | RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    publishInstrumenter.end(
        context,
        request,
        null,
        reply == null ? new TimeoutException("no reply within " + timeout) : null);
    if (reply != null) received(reply);
    return reply;
  }

  /**
   * Publishes {@code message} to JetStream in a PRODUCER span whose context travels in a copy of
   * the message's headers, stored with the message, so every (re)delivery continues the trace.
   */
  public PublishAck publish(JetStream jetStream, Message message)
      throws IOException, JetStreamApiException {
    Context parent = Context.current();
    NatsRequest request = NatsRequest.publish(this, message, true);
    if (!publishInstrumenter.shouldStart(parent, request)) {
      return jetStream.publish(message);
    }
    Context context = publishInstrumenter.start(parent, request);
    Message traced = traced(context, message, request, message.getReplyTo());
    PublishAck ack;
    try (Scope ignored = context.makeCurrent()) {
      ack = jetStream.publish(traced);
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    publishInstrumenter.end(context, request, ack, null);
    return ack;
  }

  /**
   * Returns {@code handler} traced: each message is handled in a CONSUMER {@code process} span, the
   * child of the publish that sent it, with its baggage current. Use it with dispatchers (also
   * queue groups) and JetStream push and {@code consume} subscriptions.
   */
  public MessageHandler handler(MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (handler instanceof TracingMessageHandler) return handler;
    return new TracingMessageHandler(this, handler);
  }

  /**
   * Handles {@code message} with {@code handler} in a CONSUMER {@code process} span, as {@link
   * #handler(MessageHandler)} does; for messages taken with {@code nextMessage} or a JetStream
   * {@code fetch}.
   */
  public void process(Message message, MessageHandler handler) throws InterruptedException {
    if (message == null || message.isStatusMessage()) {
      handler.onMessage(message);
      return;
    }
    NatsRequest request = NatsRequest.delivery(this, message, Context.current());
    Context parent = request.extracted;
    if (!processInstrumenter.shouldStart(parent, request)) {
      handler.onMessage(message);
      return;
    }
    Context context = processInstrumenter.start(parent, request);
    try (Scope ignored = context.makeCurrent()) {
      handler.onMessage(message);
    } catch (InterruptedException | RuntimeException e) {
      processInstrumenter.end(context, request, null, e);
      throw e;
    }
    processInstrumenter.end(context, request, null, null);
  }

  private void received(Message reply) {
    NatsRequest request = NatsRequest.delivery(this, reply, Context.current());
    if (!request.hasRemoteParent()) return;
    if (!receiveInstrumenter.shouldStart(request.extracted, request)) return;
    Context context = receiveInstrumenter.start(request.extracted, request);
    receiveInstrumenter.end(context, request, null, null);
  }

  private Message traced(Context context, Message message, NatsRequest request, String replyTo) {
    propagator.inject(context, request.headers, NatsHeaders.INSTANCE);
    return NatsMessage.builder()
        .subject(message.getSubject())
        .replyTo(replyTo)
        .headers(request.headers)
        .data(message.getData())
        .build();
  }

  static String newMessageId() {
    return UUID.randomUUID().toString();
  }

  static Headers copy(Message message) {
    return message.hasHeaders() ? new Headers(message.getHeaders()) : new Headers();
  }

  @Override
  public String toString() {
    return "NatsTracing{propagator="
        + propagator
        + ", messageIdWhenAbsent="
        + messageIdWhenAbsent
        + "}";
  }

  /** Options of {@link NatsTracing}. */
  public static final class Builder {
    final OpenTelemetry openTelemetry;
    boolean messageIdWhenAbsent = true;
    List<String> capturedHeaders = new ArrayList<>();

    Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /**
     * Whether a publish without a {@code Nats-Msg-Id} header gets a random one, so that the
     * producer and consumer spans pair by {@code messaging.message.id}. Default true. On JetStream
     * the header also de-duplicates, which a random id never triggers.
     */
    public Builder messageIdWhenAbsent(boolean messageIdWhenAbsent) {
      this.messageIdWhenAbsent = messageIdWhenAbsent;
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
    public NatsTracing build() {
      return new NatsTracing(this);
    }
  }
}
