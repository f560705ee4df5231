package dev.tracewire.instrumentation.nats;

import io.nats.client.api.PublishAck;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;
import java.util.Collections;
import java.util.List;

/** Semantic-conventions messaging attributes of a NATS message. */
final class NatsAttributesGetter<R> implements MessagingAttributesGetter<NatsRequest, R> {
  private static final NatsAttributesGetter<PublishAck> PUBLISH = new NatsAttributesGetter<>();
  private static final NatsAttributesGetter<Void> DELIVERY = new NatsAttributesGetter<>();

  static NatsAttributesGetter<PublishAck> publish() {
    return PUBLISH;
  }

  static NatsAttributesGetter<Void> delivery() {
    return DELIVERY;
  }

  private NatsAttributesGetter() {}

  @Override
  public String getSystem(NatsRequest request) {
    return "nats";
  }

  @Override
  public String getDestination(NatsRequest request) {
    return request.subject;
  }

  @Override
  public String getDestinationTemplate(NatsRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(NatsRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(NatsRequest request) {
    return false;
  }

  @Override
  public String getConversationId(NatsRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(NatsRequest request) {
    return request.bodySize;
  }

  @Override
  public Long getMessageEnvelopeSize(NatsRequest request) {
    return null;
  }

  @Override
  public String getMessageId(NatsRequest request, R response) {
    return request.messageId;
  }

  @Override
  public String getClientId(NatsRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(NatsRequest request, R response) {
    return null;
  }

  @Override
  public String getDestinationSubscriptionName(NatsRequest request) {
    return request.metaData == null ? null : request.metaData.getConsumer();
  }

  @Override
  public List<String> getMessageHeader(NatsRequest request, String name) {
    if (request.headers == null) return Collections.emptyList();
    List<String> values = request.headers.get(name);
    return values == null ? Collections.emptyList() : values;
  }
}
