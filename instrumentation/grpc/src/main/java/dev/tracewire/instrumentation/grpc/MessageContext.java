package dev.tracewire.instrumentation.grpc;

import dev.tracewire.propagation.HopDiagnostics;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per-message context on a long-lived stream: the sender writes the context of each logical request
 * into the message it sends, and the receiver handles each message in a span of that request's
 * trace, linked to the stream's span. Obtain one from {@link GrpcTracing#messageContext}.
 *
 * <pre>{@code
 * // client: every request sent on the stream carries the sender's current context
 * StreamObserver<OrderRequest> requests = orders.sending(stub.streamOrders(responses));
 *
 * // server: every request is handled in its own trace, the stream's SERVER span linked
 * public StreamObserver<OrderRequest> streamOrders(StreamObserver<OrderReply> replies) {
 *   return orders.receiving(new OrderHandler(replies));
 * }
 * }</pre>
 *
 * <p>Sending starts a PRODUCER span {@code <method> send}, child of the current context, and writes
 * its context into the message. Receiving starts a CONSUMER span {@code <method> process}, child of
 * the context the message carried (or of the current span when it carried none), linked to the span
 * current when the message arrived (the stream's SERVER span on a server), and current while the
 * handler runs. Both carry {@code rpc.system=grpc}, {@code rpc.service} and {@code rpc.method}; the
 * CONSUMER span carries the {@code tracewire.propagation.*} attributes of what the message carried.
 *
 * @param <M> the message type
 */
public final class MessageContext<M> {
  static final Logger logger = Logger.getLogger(MessageContext.class.getName());

  private final MessageCarrier<M> carrier;
  private final TextMapPropagator propagator;
  private final Instrumenter<OutgoingMessage, Void> sendInstrumenter;
  private final Instrumenter<IncomingMessage, Void> processInstrumenter;

  MessageContext(OpenTelemetry openTelemetry, String fullMethodName, MessageCarrier<M> carrier) {
    this.carrier = carrier;
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    MessageSpans spans = new MessageSpans(fullMethodName);
    this.sendInstrumenter =
        Instrumenter.<OutgoingMessage, Void>builder(
                openTelemetry, MessageSpans.INSTRUMENTATION_NAME, request -> spans.sendName)
            .addAttributesExtractor(spans)
            .addAttributesExtractor(MessageSpans.OUTGOING_REQUEST_ID)
            .buildProducerInstrumenter(OutgoingMessage.SETTER);
    this.processInstrumenter =
        Instrumenter.<IncomingMessage, Void>builder(
                openTelemetry, MessageSpans.INSTRUMENTATION_NAME, request -> spans.processName)
            .addAttributesExtractor(spans)
            .addAttributesExtractor(MessageSpans.INCOMING_DIAGNOSTICS)
            .addSpanLinksExtractor(
                (links, parentContext, request) -> {
                  if (request.link != null) links.addLink(request.link);
                })
            .buildInstrumenter(SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Returns {@code message} carrying the current context: a PRODUCER span, child of the current
   * context, starts, its context is written into the message, and it ends. Use {@link #sending} to
   * do this for every message of a stream.
   */
  public M inject(M message) {
    Objects.requireNonNull(message, "message");
    return send(message, null);
  }

  /**
   * Returns an observer that sends every message through {@code delegate} carrying the context
   * current when {@code onNext} is called, under a PRODUCER span.
   */
  public StreamObserver<M> sending(StreamObserver<M> delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return new SendingObserver<>(this, delegate);
  }

  /**
   * Returns an observer that hands every message to {@code delegate} inside a CONSUMER span
   * continuing the context the message carried, linked to the span current on arrival.
   */
  public StreamObserver<M> receiving(StreamObserver<M> delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return new ReceivingObserver<>(this, delegate);
  }

  /**
   * Runs {@code handler} on {@code message} inside a CONSUMER span continuing the context the
   * message carried, linked to the current span, and ends the span when the handler returns or
   * throws (the exception is recorded and rethrown). Work the handler hands to other threads keeps
   * the context if it is wrapped ({@code Context.current().wrap(...)}), but the span has ended.
   */
  @SuppressWarnings("try") // scopes are held for their effect on Context.current()
  public void process(M message, Consumer<? super M> handler) {
    Objects.requireNonNull(handler, "handler");
    Context current = Context.current();
    SpanContext arrivedOn = Span.fromContext(current).getSpanContext();
    Context carried =
        message == null
            ? Context.root()
            : propagator.extract(Context.root(), carrier.read(message), MapGetter.INSTANCE);
    SpanContext sender = Span.fromContext(carried).getSpanContext();
    // a logical request continues its own trace; without one it stays in the stream's
    Context parent = sender.isValid() ? carried : current;
    IncomingMessage request =
        new IncomingMessage(
            HopDiagnostics.fromContext(carried),
            sender.isValid() && arrivedOn.isValid() ? arrivedOn : null);
    if (!processInstrumenter.shouldStart(parent, request)) {
      try (Scope ignored = parent.makeCurrent()) {
        handler.accept(message);
      }
      return;
    }
    Context context = processInstrumenter.start(parent, request);
    Throwable error = null;
    try (Scope ignored = context.makeCurrent()) {
      handler.accept(message);
    } catch (RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      processInstrumenter.end(context, request, null, error);
    }
  }

  /** Sends {@code message} carrying the current context to {@code next}, or returns it if null. */
  @SuppressWarnings("try") // the scope is held for its effect on Context.current()
  M send(M message, Consumer<M> next) {
    Context parent = Context.current();
    OutgoingMessage request = new OutgoingMessage();
    if (!sendInstrumenter.shouldStart(parent, request)) {
      propagator.inject(parent, request, OutgoingMessage.SETTER);
      M carrying = write(message, request);
      if (next != null) next.accept(carrying);
      return carrying;
    }
    Context context = sendInstrumenter.start(parent, request);
    M carrying = write(message, request);
    Throwable error = null;
    try (Scope ignored = context.makeCurrent()) {
      if (next != null) next.accept(carrying);
      return carrying;
    } catch (RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      sendInstrumenter.end(context, request, null, error);
    }
  }

  private M write(M message, OutgoingMessage request) {
    try {
      M carrying = carrier.write(message, request.fields);
      return carrying == null ? message : carrying;
    } catch (RuntimeException e) {
      // a broken setter must not fail the send: the message goes without context
      logger.log(Level.FINE, "carrier setter threw", e);
      return message;
    }
  }

  @Override
  public String toString() {
    return "MessageContext{" + propagator + "}";
  }
}
