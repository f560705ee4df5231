package dev.tracewire.instrumentation.cloudevents;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;

/** Semantic-conventions messaging attributes of an event: its id is the message id. */
enum EventAttributesGetter implements MessagingAttributesGetter<EventRequest, Void> {
  INSTANCE;

  @Override
  public String getSystem(EventRequest request) {
    return "cloudevents";
  }

  @Override
  public String getDestination(EventRequest request) {
    return null;
  }

  @Override
  public String getDestinationTemplate(EventRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(EventRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(EventRequest request) {
    return false;
  }

  @Override
  public String getConversationId(EventRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(EventRequest request) {
    return null;
  }

  @Override
  public Long getMessageEnvelopeSize(EventRequest request) {
    return null;
  }

  @Override
  public String getMessageId(EventRequest request, Void unused) {
    return request.event.getId();
  }

  @Override
  public String getClientId(EventRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(EventRequest request, Void unused) {
    return null;
  }
}
