package dev.tracewire.instrumentation.redis;

import io.lettuce.core.pubsub.RedisPubSubListener;

/** A Pub/Sub listener that unwraps envelopes and handles each message in a CONSUMER span. */
final class TracingPubSubListener implements RedisPubSubListener<String, byte[]> {
  private final RedisTracing tracing;
  private final RedisPubSubListener<String, byte[]> delegate;

  TracingPubSubListener(RedisTracing tracing, RedisPubSubListener<String, byte[]> delegate) {
    this.tracing = tracing;
    this.delegate = delegate;
  }

  @Override
  public void message(String channel, byte[] message) {
    tracing.message(channel, message, payload -> delegate.message(channel, payload));
  }

  @Override
  public void message(String pattern, String channel, byte[] message) {
    tracing.message(channel, message, payload -> delegate.message(pattern, channel, payload));
  }

  @Override
  public void subscribed(String channel, long count) {
    delegate.subscribed(channel, count);
  }

  @Override
  public void psubscribed(String pattern, long count) {
    delegate.psubscribed(pattern, count);
  }

  @Override
  public void unsubscribed(String channel, long count) {
    delegate.unsubscribed(channel, count);
  }

  @Override
  public void punsubscribed(String pattern, long count) {
    delegate.punsubscribed(pattern, count);
  }

  @Override
  public String toString() {
    return "Tracing{" + delegate + "}";
  }
}
