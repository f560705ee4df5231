package dev.tracewire.instrumentation.outbox;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;

/**
 * Semantic-conventions messaging attributes of an outbox row: system {@code outbox}, the row's
 * destination, and its id as the message id.
 */
enum OutboxAttributesGetter implements MessagingAttributesGetter<OutboxRequest, String> {
  INSTANCE;

  @Override
  public String getSystem(OutboxRequest request) {
    return "outbox";
  }

  @Override
  public String getDestination(OutboxRequest request) {
    return request.destination;
  }

  @Override
  public String getDestinationTemplate(OutboxRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(OutboxRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(OutboxRequest request) {
    return false;
  }

  @Override
  public String getConversationId(OutboxRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(OutboxRequest request) {
    return null;
  }

  @Override
  public Long getMessageEnvelopeSize(OutboxRequest request) {
    return null;
  }

  @Override
  public String getMessageId(OutboxRequest request, String rowId) {
    return request.rowId != null ? request.rowId : rowId;
  }

  @Override
  public String getClientId(OutboxRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(OutboxRequest request, String rowId) {
    return null;
  }
}
