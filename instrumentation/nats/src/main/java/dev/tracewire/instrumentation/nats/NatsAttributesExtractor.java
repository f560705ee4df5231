package dev.tracewire.instrumentation.nats;

import dev.tracewire.propagation.HopDiagnostics;
import io.nats.client.api.PublishAck;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/**
 * NATS's own attributes (reply subject, queue group, JetStream stream, sequence and delivery count)
 * and, on deliveries, the hop diagnostics of the headers the message came with.
 */
final class NatsAttributesExtractor<R> implements AttributesExtractor<NatsRequest, R> {
  static final AttributeKey<String> REPLY_TO = AttributeKey.stringKey("messaging.nats.reply_to");
  static final AttributeKey<String> CONSUMER_GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  static final AttributeKey<String> STREAM = AttributeKey.stringKey("messaging.nats.stream");
  static final AttributeKey<Long> STREAM_SEQUENCE =
      AttributeKey.longKey("messaging.nats.stream.sequence");
  static final AttributeKey<Long> DELIVERED_COUNT =
      AttributeKey.longKey("messaging.nats.delivered_count");

  private static final NatsAttributesExtractor<PublishAck> PUBLISH =
      new NatsAttributesExtractor<>(false);
  private static final NatsAttributesExtractor<Void> DELIVERY = new NatsAttributesExtractor<>(true);

  static NatsAttributesExtractor<PublishAck> publish() {
    return PUBLISH;
  }

  static NatsAttributesExtractor<Void> delivery() {
    return DELIVERY;
  }

  private final boolean delivery;

  private NatsAttributesExtractor(boolean delivery) {
    this.delivery = delivery;
  }

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, NatsRequest request) {
    if (request.replyTo != null && !request.jetStream) {
      attributes.put(REPLY_TO, request.replyTo);
    }
    if (request.queue != null) attributes.put(CONSUMER_GROUP, request.queue);
    if (request.metaData != null) {
      attributes.put(STREAM, request.metaData.getStream());
      attributes.put(STREAM_SEQUENCE, request.metaData.streamSequence());
      attributes.put(DELIVERED_COUNT, request.metaData.deliveredCount());
      String consumer = request.metaData.getConsumer();
      if (consumer != null && request.queue == null) attributes.put(CONSUMER_GROUP, consumer);
    }
    if (!delivery) return;
    HopDiagnostics diagnostics = request.diagnostics();
    if (diagnostics != null) diagnostics.putAttributes(attributes);
  }

  @Override
  public void onEnd(
      AttributesBuilder attributes,
      Context context,
      NatsRequest request,
      R response,
      Throwable error) {
    if (response instanceof PublishAck) {
      PublishAck ack = (PublishAck) response;
      attributes.put(STREAM, ack.getStream());
      attributes.put(STREAM_SEQUENCE, ack.getSeqno());
    }
  }
}
