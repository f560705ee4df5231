package dev.tracewire.instrumentation.redis;

import dev.tracewire.instrumentation.envelope.Envelope;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.BaseRedisCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessageOperation;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingSpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Traces Lettuce's Redis Streams and Pub/Sub: stream entries carry the trace as entry fields,
 * Pub/Sub messages (which have no headers) in a payload {@link Envelope}.
 *
 * <pre>{@code
 * RedisTracing redisTracing = RedisTracing.create(openTelemetry);
 * String id = redisTracing.xadd(commands, "orders", Map.of("order", "1"));
 * for (StreamMessage<String, String> entry : commands.xreadgroup(consumer, lastConsumed("orders"))) {
 *   redisTracing.process("workers", entry, this::handle);
 * }
 * }</pre>
 */
public final class RedisTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.redis";

  /** Returns tracing with the defaults. */
  public static RedisTracing create(OpenTelemetry openTelemetry) {
    return new RedisTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  final TextMapPropagator propagator;
  final Instrumenter<RedisRequest, String> publishInstrumenter;
  final Instrumenter<RedisRequest, String> processInstrumenter;

  private RedisTracing(OpenTelemetry openTelemetry) {
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.publishInstrumenter = instrumenter(openTelemetry, MessageOperation.PUBLISH);
    this.processInstrumenter = instrumenter(openTelemetry, MessageOperation.PROCESS);
  }

  private static Instrumenter<RedisRequest, String> instrumenter(
      OpenTelemetry openTelemetry, MessageOperation operation) {
    return Instrumenter.<RedisRequest, String>builder(
            openTelemetry,
            INSTRUMENTATION_NAME,
            MessagingSpanNameExtractor.create(RedisAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(
            MessagingAttributesExtractor.create(RedisAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(RedisAttributesExtractor.INSTANCE)
        .buildInstrumenter(
            operation == MessageOperation.PUBLISH
                ? SpanKindExtractor.alwaysProducer()
                : SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Appends {@code body} to the stream {@code key} (XADD) in a PRODUCER span whose context travels
   * as extra entry fields ({@code traceparent}, {@code baggage}, ...); returns the entry id, which
   * both sides record as {@code messaging.message.id}.
   */
  public String xadd(
      RedisStreamCommands<String, String> commands, String key, Map<String, String> body) {
    Context parent = Context.current();
    RedisRequest request = RedisRequest.publish(key, true, body.size());
    if (!publishInstrumenter.shouldStart(parent, request)) return commands.xadd(key, body);
    Context context = publishInstrumenter.start(parent, request);
    Map<String, String> fields = new LinkedHashMap<>(body);
    propagator.fields().forEach(fields::remove);
    propagator.inject(context, fields, MapCarrier.INSTANCE);
    String id;
    try (Scope ignored = context.makeCurrent()) {
      id = commands.xadd(key, fields);
    } catch (RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    publishInstrumenter.end(context, request, id, null);
    return id;
  }

  /**
   * Handles a stream entry (from XREADGROUP, XREAD, XCLAIM or XAUTOCLAIM) in a CONSUMER {@code
   * process} span, the child of the XADD that wrote it: a reclaimed pending entry continues its
   * original publish too. {@code handler} sees the entry without the trace fields.
   *
   * @param group the consumer group that read the entry, or {@code null}
   */
  public void process(
      String group,
      StreamMessage<String, String> entry,
      Consumer<StreamMessage<String, String>> handler) {
    Context base = Context.current();
    Map<String, String> body = entry.getBody();
    Context extracted = body == null ? base : propagator.extract(base, body, MapCarrier.INSTANCE);
    Collection<String> fields = propagator.fields();
    StreamMessage<String, String> stripped = entry;
    if (body != null && fields.stream().anyMatch(body::containsKey)) {
      Map<String, String> appBody = new LinkedHashMap<>(body);
      fields.forEach(appBody::remove);
      stripped = new StreamMessage<>(entry.getStream(), entry.getId(), appBody);
    }
    RedisRequest request =
        RedisRequest.entry(entry, group, body == null ? 0 : body.size(), base, extracted);
    StreamMessage<String, String> delivered = stripped;
    process(request, () -> handler.accept(delivered));
  }

  /**
   * Publishes {@code message} on {@code channel} (PUBLISH) in a PRODUCER span whose context travels
   * in a payload {@link Envelope}; returns the number of receivers. Subscribers without the kit
   * receive the envelope; use {@link #listener} on every subscriber of the channel.
   */
  public Long publish(BaseRedisCommands<String, byte[]> commands, String channel, byte[] message) {
    Context parent = Context.current();
    RedisRequest request = RedisRequest.publish(channel, false, message.length);
    if (!publishInstrumenter.shouldStart(parent, request)) {
      return commands.publish(channel, message);
    }
    Context context = publishInstrumenter.start(parent, request);
    Map<String, String> fields = new LinkedHashMap<>();
    propagator.inject(context, fields, MapCarrier.INSTANCE);
    Long receivers;
    try (Scope ignored = context.makeCurrent()) {
      receivers = commands.publish(channel, Envelope.wrap(fields, message));
    } catch (RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    publishInstrumenter.end(context, request, null, null);
    return receivers;
  }

  /**
   * Returns {@code listener} traced: a Pub/Sub message in an {@link Envelope} is unwrapped (the
   * listener sees the payload byte for byte) and handled in a CONSUMER {@code process} span, the
   * child of the publish; any other message is passed as is, in a span that starts a new trace.
   */
  public RedisPubSubListener<String, byte[]> listener(
      RedisPubSubListener<String, byte[]> listener) {
    Objects.requireNonNull(listener, "listener");
    if (listener instanceof TracingPubSubListener) return listener;
    return new TracingPubSubListener(this, listener);
  }

  void message(String channel, byte[] message, Consumer<byte[]> handler) {
    Context base = Context.current();
    Envelope envelope = Envelope.unwrap(message);
    Context extracted =
        envelope == null ? base : propagator.extract(base, envelope.fields(), MapCarrier.INSTANCE);
    byte[] payload = envelope == null ? message : envelope.payload();
    RedisRequest request =
        RedisRequest.message(channel, payload == null ? 0 : payload.length, base, extracted);
    process(request, () -> handler.accept(payload));
  }

  private void process(RedisRequest request, Runnable handler) {
    if (!processInstrumenter.shouldStart(request.extracted, request)) {
      handler.run();
      return;
    }
    Context context = processInstrumenter.start(request.extracted, request);
    try (Scope ignored = context.makeCurrent()) {
      handler.run();
    } catch (RuntimeException e) {
      processInstrumenter.end(context, request, null, e);
      throw e;
    }
    processInstrumenter.end(context, request, null, null);
  }

  @Override
  public String toString() {
    return "RedisTracing{propagator=" + propagator + "}";
  }
}
