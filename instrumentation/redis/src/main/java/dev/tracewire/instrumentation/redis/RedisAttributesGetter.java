package dev.tracewire.instrumentation.redis;

import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesGetter;

/**
 * Semantic-conventions messaging attributes: the stream key or channel, and a stream entry's id as
 * the message id (known on the publish once XADD returned it).
 */
enum RedisAttributesGetter implements MessagingAttributesGetter<RedisRequest, String> {
  INSTANCE;

  @Override
  public String getSystem(RedisRequest request) {
    return "redis";
  }

  @Override
  public String getDestination(RedisRequest request) {
    return request.destination;
  }

  @Override
  public String getDestinationTemplate(RedisRequest request) {
    return null;
  }

  @Override
  public boolean isTemporaryDestination(RedisRequest request) {
    return false;
  }

  @Override
  public boolean isAnonymousDestination(RedisRequest request) {
    return false;
  }

  @Override
  public String getConversationId(RedisRequest request) {
    return null;
  }

  @Override
  public Long getMessageBodySize(RedisRequest request) {
    return request.stream ? null : request.size;
  }

  @Override
  public Long getMessageEnvelopeSize(RedisRequest request) {
    return null;
  }

  @Override
  public String getMessageId(RedisRequest request, String entryId) {
    return request.entryId != null ? request.entryId : entryId;
  }

  @Override
  public String getClientId(RedisRequest request) {
    return null;
  }

  @Override
  public Long getBatchMessageCount(RedisRequest request, String entryId) {
    return null;
  }

  @Override
  public String getDestinationSubscriptionName(RedisRequest request) {
    return request.group;
  }
}
