package dev.tracewire.instrumentation.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.tracewire.testing.HopSuite;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 5 request/response: the responder answers on the request's response topic with the same
 * correlation data; the answer continues the requester's trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mqtt5RequestResponseHopTest extends HopSuite {
  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  Mqtt5AsyncClient caller;
  Mqtt5AsyncClient callee;
  MqttTracing callerTracing;
  String requests = MqttBroker.topic("requests");
  String responses = MqttBroker.topic("responses");
  final BlockingQueue<Mqtt5Publish> answers = new LinkedBlockingQueue<>();

  @BeforeAll
  void connect() throws Exception {
    caller = MqttBroker.connect5();
    callee = MqttBroker.connect5();
    callerTracing = MqttTracing.create(capture.service(CALLER));
    MqttTracing calleeTracing = MqttTracing.create(capture.service(CALLEE));
    callee
        .subscribeWith()
        .topicFilter(requests)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(
            MqttBroker.leakChecked(
                calleeTracing.callback(
                    request -> {
                      calleeHandled();
                      calleeTracing.publish(
                          callee,
                          Mqtt5Publish.builder()
                              .topic(request.getResponseTopic().orElseThrow())
                              .correlationData(request.getCorrelationData().orElse(null))
                              .qos(MqttQos.AT_LEAST_ONCE)
                              .payload(MqttBroker.body("ok"))
                              .build());
                    })))
        .send()
        .get(5, TimeUnit.SECONDS);
    caller
        .subscribeWith()
        .topicFilter(responses)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(MqttBroker.leakChecked(callerTracing.callback(answers::add)))
        .send()
        .get(5, TimeUnit.SECONDS);
  }

  @AfterAll
  void disconnect() {
    if (caller != null) caller.disconnect();
    if (callee != null) callee.disconnect();
  }

  @Override
  protected TraceCapture capture() {
    return capture;
  }

  @Override
  protected String transport() {
    return "mqtt";
  }

  @Override
  protected void send() throws Exception {
    answers.clear();
    callerTracing
        .publish(
            caller,
            Mqtt5Publish.builder()
                .topic(requests)
                .responseTopic(responses)
                .correlationData(MqttBroker.body("42"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(MqttBroker.body("price?"))
                .build())
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void response_continuesTheRequestersTrace() throws Exception {
    send();
    // answers to earlier tests' requests may still arrive: wait for the span of this one
    SpanData request =
        capture
            .awaitSpan(
                s -> s.getKind() == SpanKind.PRODUCER && s.getName().contains("requests"),
                "the request's publish span")
            .stream()
            .filter(s -> s.getKind() == SpanKind.PRODUCER && s.getName().contains("requests"))
            .findFirst()
            .orElseThrow();
    List<SpanData> spans =
        capture.awaitSpan(
            s ->
                s.getKind() == SpanKind.CONSUMER
                    && s.getTraceId().equals(request.getTraceId())
                    && s.getName().contains("responses"),
            "the requester's process span of the response");
    SpanData reply =
        spans.stream()
            .filter(
                s ->
                    s.getKind() == SpanKind.PRODUCER
                        && s.getTraceId().equals(request.getTraceId())
                        && s.getName().contains("responses"))
            .findFirst()
            .orElseThrow();
    assertThat(reply.getAttributes().get(MqttAttributesExtractor.QOS)).isEqualTo(1L);
    TraceAssert.assertThat(capture.trace(request.getTraceId()))
        .isUnbroken()
        .hasHop(CALLER, CALLEE, "mqtt")
        .hasHop(CALLEE, CALLER, "mqtt");
  }
}
