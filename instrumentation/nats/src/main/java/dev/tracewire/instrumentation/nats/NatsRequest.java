package dev.tracewire.instrumentation.nats;

import dev.tracewire.propagation.HopDiagnostics;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/** One published or delivered NATS message. */
final class NatsRequest {
  final String subject;
  final String replyTo;
  final Headers headers;
  final long bodySize;
  final String messageId;
  final boolean jetStream;

  /** The queue group of the subscription that delivered the message, or {@code null}. */
  final String queue;

  /** JetStream delivery metadata, or {@code null} on core NATS and publishes. */
  final NatsJetStreamMetaData metaData;

  /** The context current when the message arrived; for publishes, unused. */
  final Context base;

  /** {@link #base} with what the message's headers carried. */
  final Context extracted;

  private NatsRequest(
      String subject,
      String replyTo,
      Headers headers,
      long bodySize,
      String messageId,
      boolean jetStream,
      String queue,
      NatsJetStreamMetaData metaData,
      Context base,
      Context extracted) {
    this.subject = subject;
    this.replyTo = replyTo;
    this.headers = headers;
    this.bodySize = bodySize;
    this.messageId = messageId;
    this.jetStream = jetStream;
    this.queue = queue;
    this.metaData = metaData;
    this.base = base;
    this.extracted = extracted;
  }

  static NatsRequest publish(NatsTracing tracing, Message message, boolean jetStream) {
    Headers headers = NatsTracing.copy(message);
    // a re-published message must not keep the trace fields it arrived with
    headers.remove(tracing.propagator.fields());
    String messageId = headers.getFirst(NatsTracing.MESSAGE_ID_HEADER);
    if (messageId == null && tracing.messageIdWhenAbsent) {
      messageId = NatsTracing.newMessageId();
      headers.put(NatsTracing.MESSAGE_ID_HEADER, messageId);
    }
    byte[] data = message.getData();
    return new NatsRequest(
        message.getSubject(),
        message.getReplyTo(),
        headers,
        data == null ? 0 : data.length,
        messageId,
        jetStream,
        null,
        null,
        null,
        null);
  }

  static NatsRequest delivery(NatsTracing tracing, Message message, Context current) {
    Headers headers = message.hasHeaders() ? message.getHeaders() : null;
    Context extracted =
        headers == null
            ? current
            : tracing.propagator.extract(current, headers, NatsHeaders.INSTANCE);
    Subscription subscription = message.getSubscription();
    NatsJetStreamMetaData metaData = null;
    if (message.isJetStream()) {
      try {
        metaData = message.metaData();
      } catch (RuntimeException malformedReplyTo) {
        // the reply subject carries the metadata; a foreign one is no reason to fail the handler
      }
    }
    byte[] data = message.getData();
    return new NatsRequest(
        message.getSubject(),
        message.getReplyTo(),
        headers,
        data == null ? 0 : data.length,
        headers == null ? null : headers.getFirst(NatsTracing.MESSAGE_ID_HEADER),
        message.isJetStream(),
        subscription == null ? null : subscription.getQueueName(),
        metaData,
        current,
        extracted);
  }

  boolean hasRemoteParent() {
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    return parent.isValid() && parent.isRemote();
  }

  /** Hop diagnostics of this message, or {@code null} when extract recorded none for it. */
  HopDiagnostics diagnostics() {
    if (extracted == null || extracted == base) return null;
    HopDiagnostics diagnostics = HopDiagnostics.fromContext(extracted);
    // a propagator that records none leaves the diagnostics of an outer request in the context
    if (diagnostics == null || diagnostics == HopDiagnostics.fromContext(base)) return null;
    return diagnostics;
  }
}
