package dev.tracewire.instrumentation.mqtt;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.tracewire.instrumentation.envelope.Envelope;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Traces the HiveMQ MQTT client: MQTT 5 publishes carry the trace in user properties; MQTT 3.1.1,
 * which has no headers, carries it in a payload {@link Envelope} that the traced callbacks detect
 * and unwrap.
 *
 * <pre>{@code
 * MqttTracing mqttTracing = MqttTracing.create(openTelemetry);
 * mqttTracing.publish(mqtt5Client, Mqtt5Publish.builder().topic("orders").payload(body).build());
 * mqtt5Client.subscribeWith().topicFilter("orders").callback(mqttTracing.callback(this::handle)).send();
 * }</pre>
 */
public final class MqttTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.mqtt";

  /** Returns tracing with the defaults. */
  public static MqttTracing create(OpenTelemetry openTelemetry) {
    return new MqttTracing(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  final TextMapPropagator propagator;
  final Instrumenter<MqttRequest, Void> publishInstrumenter;
  final Instrumenter<MqttRequest, Void> processInstrumenter;

  private MqttTracing(OpenTelemetry openTelemetry) {
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.publishInstrumenter = instrumenter(openTelemetry, MessageOperation.PUBLISH);
    this.processInstrumenter = instrumenter(openTelemetry, MessageOperation.PROCESS);
  }

  private static Instrumenter<MqttRequest, Void> instrumenter(
      OpenTelemetry openTelemetry, MessageOperation operation) {
    return Instrumenter.<MqttRequest, Void>builder(
            openTelemetry,
            INSTRUMENTATION_NAME,
            MessagingSpanNameExtractor.create(MqttAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(
            MessagingAttributesExtractor.create(MqttAttributesGetter.INSTANCE, operation))
        .addAttributesExtractor(MqttAttributesExtractor.INSTANCE)
        .buildInstrumenter(
            operation == MessageOperation.PUBLISH
                ? SpanKindExtractor.alwaysProducer()
                : SpanKindExtractor.alwaysConsumer());
  }

  /**
   * Publishes {@code publish} with an MQTT 5 client in a PRODUCER span whose context travels in the
   * message's user properties (replacing any trace properties it already had). The span ends when
   * the broker acknowledged the message (at QoS 0: when it was written).
   */
  public CompletableFuture<Mqtt5PublishResult> publish(
      Mqtt5AsyncClient client, Mqtt5Publish publish) {
    Context parent = Context.current();
    MqttRequest request = MqttRequest.publish(publish, 5);
    if (!publishInstrumenter.shouldStart(parent, request)) return client.publish(publish);
    Context context = publishInstrumenter.start(parent, request);
    Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
    Collection<String> fields = propagator.fields();
    for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
      if (!fields.contains(property.getName().toString())) properties.add(property);
    }
    propagator.inject(context, properties, MqttCarriers.USER_PROPERTIES_SETTER);
    Mqtt5Publish traced = publish.extend().userProperties(properties.build()).build();
    CompletableFuture<Mqtt5PublishResult> result;
    try (Scope ignored = context.makeCurrent()) {
      result = client.publish(traced);
    } catch (RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    return result.whenComplete(
        (done, error) ->
            publishInstrumenter.end(
                context, request, null, error != null ? error : done.getError().orElse(null)));
  }

  /**
   * Publishes {@code publish} with an MQTT 3.1.1 client in a PRODUCER span whose context travels in
   * a payload {@link Envelope} around the application payload. Opt-in: a subscriber without this
   * kit receives the envelope, not the bare payload.
   */
  public CompletableFuture<Mqtt3Publish> publish(Mqtt3AsyncClient client, Mqtt3Publish publish) {
    Context parent = Context.current();
    MqttRequest request = MqttRequest.publish(publish);
    if (!publishInstrumenter.shouldStart(parent, request)) return client.publish(publish);
    Context context = publishInstrumenter.start(parent, request);
    Map<String, String> fields = new LinkedHashMap<>();
    propagator.inject(context, fields, MqttCarriers.MAP);
    Mqtt3Publish traced =
        publish.extend().payload(Envelope.wrap(fields, publish.getPayloadAsBytes())).build();
    CompletableFuture<Mqtt3Publish> result;
    try (Scope ignored = context.makeCurrent()) {
      result = client.publish(traced);
    } catch (RuntimeException e) {
      publishInstrumenter.end(context, request, null, e);
      throw e;
    }
    return result.whenComplete(
        (done, error) -> publishInstrumenter.end(context, request, null, error));
  }

  /**
   * Returns {@code callback} traced for an MQTT 5 subscription: each message is handled in a
   * CONSUMER {@code process} span, the child of the publish that sent it (also for retained
   * messages and QoS 1/2 redeliveries, which keep their user properties). A message in an {@link
   * Envelope} (from a traced MQTT 3.1.1 publisher) is unwrapped before {@code callback} sees it.
   */
  public Consumer<Mqtt5Publish> callback(Consumer<Mqtt5Publish> callback) {
    Objects.requireNonNull(callback, "callback");
    return publish -> {
      Envelope envelope =
          publish.getUserProperties().asList().isEmpty()
              ? Envelope.unwrap(publish.getPayloadAsBytes())
              : null;
      Context base = Context.current();
      Context extracted =
          envelope == null
              ? propagator.extract(base, publish.getUserProperties(), MqttCarriers.USER_PROPERTIES)
              : propagator.extract(base, envelope.fields(), MqttCarriers.MAP);
      Mqtt5Publish delivered =
          envelope == null ? publish : publish.extend().payload(envelope.payload()).build();
      process(
          MqttRequest.delivery(delivered, 5, base, extracted), () -> callback.accept(delivered));
    };
  }

  /**
   * Returns {@code callback} traced for an MQTT 3.1.1 subscription: a message in an {@link
   * Envelope} is unwrapped (the callback sees the application payload, byte for byte) and handled
   * in a CONSUMER {@code process} span, the child of the publish that sent it; any other message is
   * passed as is, in a span that starts a new trace.
   */
  public Consumer<Mqtt3Publish> mqtt3Callback(Consumer<Mqtt3Publish> callback) {
    Objects.requireNonNull(callback, "callback");
    return publish -> {
      Envelope envelope = Envelope.unwrap(publish.getPayloadAsBytes());
      Context base = Context.current();
      Context extracted =
          envelope == null ? base : propagator.extract(base, envelope.fields(), MqttCarriers.MAP);
      Mqtt3Publish delivered =
          envelope == null ? publish : publish.extend().payload(envelope.payload()).build();
      process(MqttRequest.delivery(delivered, base, extracted), () -> callback.accept(delivered));
    };
  }

  private void process(MqttRequest request, Runnable callback) {
    if (!processInstrumenter.shouldStart(request.extracted, request)) {
      callback.run();
      return;
    }
    Context context = processInstrumenter.start(request.extracted, request);
    try (Scope ignored = context.makeCurrent()) {
      callback.run();
    } catch (RuntimeException e) {
      processInstrumenter.end(context, request, null, e);
      throw e;
    }
    processInstrumenter.end(context, request, null, null);
  }

  @Override
  public String toString() {
    return "MqttTracing{propagator=" + propagator + "}";
  }
}
