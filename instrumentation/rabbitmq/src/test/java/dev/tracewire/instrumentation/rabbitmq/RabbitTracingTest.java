package dev.tracewire.instrumentation.rabbitmq;

import static io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MESSAGING_DESTINATION_NAME;
import static io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MESSAGING_MESSAGE_ID;
import static io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY;
import static io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG;
import static io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MESSAGING_SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.propagation.TracewirePropagator;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.semconv.NetworkAttributes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a traced channel writes and records, against the real broker. */
class RabbitTracingTest {
  static final String ORDERS = "orders";
  static final String PAYMENTS = "payments";
  static final byte[] BODY = "order 1".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final TraceCapture capture =
      TraceCapture.newBuilder().hopDiagnosticsProcessor(false).build();

  static RabbitBroker broker;

  Channel raw;
  TracingChannel orders;
  TracingChannel payments;
  RabbitTracing paymentsTracing;
  final BlockingQueue<Delivery> delivered = new LinkedBlockingQueue<>();
  final BlockingQueue<Context> handledIn = new LinkedBlockingQueue<>();

  @BeforeAll
  static void connect() {
    broker = RabbitBroker.connect();
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (broker != null) broker.close();
  }

  @BeforeEach
  void channels() throws Exception {
    raw = broker.channel();
    orders = RabbitTracing.create(capture.service(ORDERS)).channel(broker.channel());
    paymentsTracing = RabbitTracing.create(capture.service(PAYMENTS));
    payments = paymentsTracing.channel(broker.channel());
  }

  @AfterEach
  void closeChannels() throws Exception {
    for (Channel channel : List.of(raw, orders, payments)) {
      if (channel.isOpen()) channel.close();
    }
  }

  /** Consumes {@code queue} on the payments channel, remembering each delivery and its context. */
  void consume(Channel channel, String queue) throws Exception {
    channel.basicConsume(
        queue,
        true,
        (tag, delivery) -> {
          delivered.add(delivery);
          handledIn.add(Context.current());
        },
        tag -> {});
  }

  Delivery awaitDelivery() throws InterruptedException {
    Delivery delivery = delivered.poll(10, TimeUnit.SECONDS);
    assertThat(delivery).as("a delivery within 10 s").isNotNull();
    return delivery;
  }

  static SpanData only(List<SpanData> spans, String service, SpanKind kind) {
    List<SpanData> matching =
        spans.stream()
            .filter(s -> s.getKind() == kind)
            .filter(
                s ->
                    service.equals(
                        s.getResource().getAttribute(AttributeKey.stringKey("service.name"))))
            .toList();
    assertThat(matching).as("%s spans of %s in %s", kind, service, spans).hasSize(1);
    return matching.get(0);
  }

  List<SpanData> awaitConsumerSpan() {
    return capture.awaitSpan(s -> s.getKind() == SpanKind.CONSUMER, "a CONSUMER span");
  }

  @Test
  void publish_leavesCallersPropertiesUntouched() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "untouched", null);
    consume(payments, queue);
    Map<String, Object> headers = Map.of("tenant", "acme"); // immutable: a write would throw
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().headers(headers).build();

    orders.basicPublish("", queue, props, BODY);

    assertThat(props.getHeaders()).containsOnlyKeys("tenant");
    assertThat(props.getMessageId()).isNull();
    Map<String, Object> received = awaitDelivery().getProperties().getHeaders();
    assertThat(received).containsKeys("tenant", "traceparent");
    assertThat(received.get("tenant").toString()).isEqualTo("acme");
  }

  @Test
  void publish_withoutMessageId_getsOneThatPairsBothSides() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "id", null);
    consume(payments, queue);

    orders.basicPublish("", queue, null, BODY);

    String sent = awaitDelivery().getProperties().getMessageId();
    assertThat(sent).matches("[0-9a-f]{32}");
    List<SpanData> spans = awaitConsumerSpan();
    assertThat(only(spans, ORDERS, SpanKind.PRODUCER).getAttributes().get(MESSAGING_MESSAGE_ID))
        .isEqualTo(sent);
    assertThat(only(spans, PAYMENTS, SpanKind.CONSUMER).getAttributes().get(MESSAGING_MESSAGE_ID))
        .isEqualTo(sent);
  }

  @Test
  void publish_withMessageId_keepsIt() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "own-id", null);
    consume(payments, queue);

    orders.basicPublish(
        "", queue, new AMQP.BasicProperties.Builder().messageId("order-7").build(), BODY);

    assertThat(awaitDelivery().getProperties().getMessageId()).isEqualTo("order-7");
    List<SpanData> spans = awaitConsumerSpan();
    assertThat(only(spans, ORDERS, SpanKind.PRODUCER).getAttributes().get(MESSAGING_MESSAGE_ID))
        .isEqualTo("order-7");
  }

  @Test
  void publish_messageIdWhenAbsentOff_setsNone() throws Exception {
    TracingChannel plain =
        RabbitTracing.newBuilder(capture.service(ORDERS))
            .messageIdWhenAbsent(false)
            .build()
            .channel(broker.channel());
    String queue = RabbitBroker.declareQueue(payments, "no-id", null);
    consume(payments, queue);

    plain.basicPublish("", queue, null, BODY);

    assertThat(awaitDelivery().getProperties().getMessageId()).isNull();
    List<SpanData> spans = awaitConsumerSpan();
    assertThat(only(spans, ORDERS, SpanKind.PRODUCER).getAttributes().get(MESSAGING_MESSAGE_ID))
        .isNull();
    plain.close();
  }

  @Test
  void capturedHeaders_areRecordedOnBothSides() throws Exception {
    AttributeKey<List<String>> tenant = AttributeKey.stringArrayKey("messaging.header.tenant");
    TracingChannel sending =
        RabbitTracing.newBuilder(capture.service(ORDERS))
            .capturedHeaders(List.of("tenant"))
            .build()
            .channel(broker.channel());
    TracingChannel receiving =
        RabbitTracing.newBuilder(capture.service(PAYMENTS))
            .capturedHeaders(List.of("tenant"))
            .build()
            .channel(broker.channel());
    String queue = RabbitBroker.declareQueue(receiving, "captured", null);
    consume(receiving, queue);

    sending.basicPublish(
        "",
        queue,
        new AMQP.BasicProperties.Builder().headers(Map.of("tenant", "acme")).build(),
        BODY);

    awaitDelivery();
    List<SpanData> spans = awaitConsumerSpan();
    assertThat(only(spans, ORDERS, SpanKind.PRODUCER).getAttributes().get(tenant))
        .containsExactly("acme");
    // arrives as a LongString
    assertThat(only(spans, PAYMENTS, SpanKind.CONSUMER).getAttributes().get(tenant))
        .containsExactly("acme");
    sending.close();
    receiving.close();
  }

  @Test
  void spans_carryExchangeRoutingKeyAndBroker() throws Exception {
    String exchange = "tracewire.orders." + UUID.randomUUID();
    payments.exchangeDeclare(exchange, "direct", false, true, null);
    String queue = RabbitBroker.declareQueue(payments, "routed", null);
    payments.queueBind(queue, exchange, "order.created");
    consume(payments, queue);

    orders.basicPublish(exchange, "order.created", null, BODY);

    long deliveryTag = awaitDelivery().getEnvelope().getDeliveryTag();
    List<SpanData> spans = awaitConsumerSpan();
    SpanData publish = only(spans, ORDERS, SpanKind.PRODUCER);
    SpanData process = only(spans, PAYMENTS, SpanKind.CONSUMER);
    for (SpanData span : List.of(publish, process)) {
      assertThat(span.getAttributes().get(MESSAGING_SYSTEM)).isEqualTo("rabbitmq");
      assertThat(span.getAttributes().get(MESSAGING_DESTINATION_NAME)).isEqualTo(exchange);
      assertThat(span.getAttributes().get(MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY))
          .isEqualTo("order.created");
      assertThat(span.getAttributes().get(NetworkAttributes.NETWORK_PEER_ADDRESS))
          .isEqualTo(RabbitBroker.HOST);
      assertThat(span.getAttributes().get(NetworkAttributes.NETWORK_PEER_PORT))
          .isEqualTo((long) RabbitBroker.PORT);
    }
    assertThat(process.getAttributes().get(MESSAGING_RABBITMQ_MESSAGE_DELIVERY_TAG))
        .isEqualTo(deliveryTag);
    assertThat(publish.getName()).contains(exchange);
  }

  @Test
  void defaultExchange_isNamedDefault() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "default", null);
    consume(payments, queue);

    orders.basicPublish("", queue, null, BODY);

    awaitDelivery();
    SpanData publish = only(awaitConsumerSpan(), ORDERS, SpanKind.PRODUCER);
    assertThat(publish.getAttributes().get(MESSAGING_DESTINATION_NAME)).isEqualTo("<default>");
    assertThat(publish.getAttributes().get(MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY))
        .isEqualTo(queue);
  }

  static final AttributeKey<String> LINK = AttributeKey.stringKey("tracewire.link");

  /** The one link of {@code span} marked as pointing at the original publish. */
  static SpanContext originLink(SpanData span) {
    List<LinkData> links =
        span.getLinks().stream().filter(l -> "origin".equals(l.getAttributes().get(LINK))).toList();
    assertThat(links).as("origin links of %s", span.getName()).hasSize(1);
    return links.get(0).getSpanContext();
  }

  @Test
  void republishedWithCopiedProperties_carriesTheCurrentTraceAndLinksTheOriginal()
      throws Exception {
    String first = RabbitBroker.declareQueue(payments, "first", null);
    String second = RabbitBroker.declareQueue(payments, "second", null);
    orders.basicPublish("", first, null, BODY);
    GetResponse old = RabbitBroker.awaitGet(raw, first); // untraced: keeps the old headers
    SpanData original = capture.awaitSpans(1).get(0);
    consume(payments, second);
    Span retrying = capture.service(ORDERS).getTracer("test").spanBuilder("retry").startSpan();

    try (Scope ignored = retrying.makeCurrent()) {
      orders.basicPublish("", second, old.getProps(), old.getBody());
    } finally {
      retrying.end();
    }

    Map<String, Object> headers = awaitDelivery().getProperties().getHeaders();
    assertThat(headers.get(OriginHeader.NAME).toString()).contains(original.getSpanId());
    String traceId = retrying.getSpanContext().getTraceId();
    List<SpanData> spans = capture.awaitTrace(traceId, 3).spans();
    SpanData republish =
        spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
    SpanData process = only(spans, PAYMENTS, SpanKind.CONSUMER);
    assertThat(process.getAttributes().get(HopAttributes.CONFLICT)).isNull();
    assertThat(originLink(republish).getSpanId()).isEqualTo(original.getSpanId());
    assertThat(originLink(process).getSpanId()).isEqualTo(original.getSpanId());
    TraceAssert.assertThat(capture.trace(traceId))
        .isUnbroken()
        .hasHop(ORDERS, PAYMENTS, "rabbitmq");
  }

  @Test
  void republishedTwice_keepsTheFirstOrigin() throws Exception {
    String first = RabbitBroker.declareQueue(payments, "once", null);
    String second = RabbitBroker.declareQueue(payments, "twice", null);
    String third = RabbitBroker.declareQueue(payments, "thrice", null);
    orders.basicPublish("", first, null, BODY);
    SpanData original = capture.awaitSpans(1).get(0);
    GetResponse once = RabbitBroker.awaitGet(raw, first);
    orders.basicPublish("", second, once.getProps(), BODY);
    GetResponse twice = RabbitBroker.awaitGet(raw, second);
    consume(payments, third);

    orders.basicPublish("", third, twice.getProps(), BODY);

    awaitDelivery();
    SpanData process = only(awaitConsumerSpan(), PAYMENTS, SpanKind.CONSUMER);
    assertThat(originLink(process).getSpanId()).isEqualTo(original.getSpanId());
  }

  @Test
  void keepOrigin_freshProperties_linkTheConsumedMessagesPublish() throws Exception {
    String first = RabbitBroker.declareQueue(payments, "consumed", null);
    String retry = RabbitBroker.declareQueue(payments, "retry", null);
    orders.basicPublish("", first, null, BODY);
    SpanData original = capture.awaitSpans(1).get(0);
    GetResponse consumed = RabbitBroker.awaitGet(raw, first);
    consume(payments, retry);
    AMQP.BasicProperties fresh = new AMQP.BasicProperties.Builder().priority(1).build();

    orders.basicPublish(
        "", retry, paymentsTracing.keepOrigin(consumed.getProps(), fresh), consumed.getBody());

    assertThat(fresh.getHeaders()).isNull();
    assertThat(awaitDelivery().getProperties().getPriority()).isEqualTo(1);
    SpanData process = only(awaitConsumerSpan(), PAYMENTS, SpanKind.CONSUMER);
    assertThat(originLink(process).getSpanId()).isEqualTo(original.getSpanId());
    assertThat(process.getTraceId()).isNotEqualTo(original.getTraceId());
  }

  @Test
  void b3HeadersFromAnotherStack_asBytes_continueTheirTrace() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "b3", null);
    consume(payments, queue);
    Map<String, Object> headers =
        Map.of(
            "X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124".getBytes(StandardCharsets.UTF_8),
            "X-B3-SpanId", "a2fb4a1d1a96d312".getBytes(StandardCharsets.UTF_8),
            "X-B3-Sampled", "1");

    raw.basicPublish("", queue, new AMQP.BasicProperties.Builder().headers(headers).build(), BODY);

    awaitDelivery();
    SpanData process = only(awaitConsumerSpan(), PAYMENTS, SpanKind.CONSUMER);
    assertThat(process.getTraceId()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(process.getParentSpanId()).isEqualTo("a2fb4a1d1a96d312");
    assertThat(process.getAttributes().get(HopAttributes.RECEIVED)).containsExactly("b3multi");
    assertThat(process.getAttributes().get(HopAttributes.USED)).isEqualTo("b3multi");
  }

  @Test
  void deliveryWithoutHeaders_startsATraceAndSaysNothingArrived() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "bare", null);
    consume(payments, queue);

    raw.basicPublish("", queue, null, BODY);

    awaitDelivery();
    SpanData process = only(awaitConsumerSpan(), PAYMENTS, SpanKind.CONSUMER);
    assertThat(process.getParentSpanContext().isValid()).isFalse();
    assertThat(process.getAttributes().get(HopAttributes.RECEIVED)).isEmpty();
    assertThat(process.getAttributes().get(HopAttributes.USED)).isNull();
  }

  @Test
  void rejected_deadLetterStartsNewTraceLinkedToPublish_whenConfigured() throws Exception {
    OpenTelemetry audit = capture.service("audit");
    TracingChannel auditChannel =
        RabbitTracing.newBuilder(audit)
            .deadLettersContinueTrace(false)
            .build()
            .channel(broker.channel());
    String dead = RabbitBroker.declareQueue(payments, "rejected-dead", null);
    String work =
        RabbitBroker.declareQueue(
            payments,
            "rejected-work",
            Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", dead));
    payments.basicConsume(
        work,
        false,
        (tag, delivery) -> payments.basicReject(delivery.getEnvelope().getDeliveryTag(), false),
        tag -> {});
    consume(auditChannel, dead);

    orders.basicPublish("", work, null, BODY);

    awaitDelivery();
    List<SpanData> spans =
        capture.awaitSpan(
            s -> s.getKind() == SpanKind.CONSUMER && s.getResource().toString().contains("audit"),
            "the audit service's CONSUMER span");
    SpanData publish = only(spans, ORDERS, SpanKind.PRODUCER);
    SpanData redelivery = only(spans, "audit", SpanKind.CONSUMER);
    assertThat(redelivery.getTraceId()).isNotEqualTo(publish.getTraceId());
    assertThat(redelivery.getLinks()).hasSize(1);
    assertThat(redelivery.getLinks().get(0).getSpanContext().getSpanId())
        .isEqualTo(publish.getSpanId());
    assertThat(redelivery.getLinks().get(0).getAttributes().get(RabbitAttributes.DEATH_REASON))
        .isEqualTo("rejected");
    assertThat(redelivery.getAttributes().get(HopAttributes.REMOTE_PARENT))
        .isEqualTo(publish.getSpanId());
    auditChannel.close();
  }

  @Test
  void basicGet_underPollersSpan_isItsChildAndLinksToPublish() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "poll", null);
    orders.basicPublish("", queue, null, BODY);
    Span poll = capture.service(PAYMENTS).getTracer("test").spanBuilder("poll").startSpan();

    GetResponse response;
    try (Scope ignored = poll.makeCurrent()) {
      response = RabbitBroker.awaitGet(payments, queue);
    } finally {
      poll.end();
    }

    List<SpanData> spans = awaitConsumerSpan();
    SpanData publish = only(spans, ORDERS, SpanKind.PRODUCER);
    SpanData receive = only(spans, PAYMENTS, SpanKind.CONSUMER);
    assertThat(receive.getParentSpanId()).isEqualTo(poll.getSpanContext().getSpanId());
    assertThat(receive.getLinks()).hasSize(1);
    assertThat(receive.getLinks().get(0).getSpanContext().getSpanId())
        .isEqualTo(publish.getSpanId());
    assertThat(receive.getAttributes().get(HopAttributes.REMOTE_PARENT))
        .isEqualTo(publish.getSpanId());
    assertThat(Span.fromContext(paymentsTracing.context(response)).getSpanContext().getSpanId())
        .isEqualTo(receive.getSpanId());
  }

  /** An HTTP request's extract, as a server filter with the universal propagator leaves it. */
  static Context inboundHttpRequest() {
    Map<String, String> headers =
        Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    return TracewirePropagator.create()
        .extract(
            Context.root(),
            headers,
            new TextMapGetter<Map<String, String>>() {
              @Override
              public Iterable<String> keys(Map<String, String> carrier) {
                return carrier.keySet();
              }

              @Override
              public String get(Map<String, String> carrier, String key) {
                return carrier.get(key);
              }
            });
  }

  @Test
  void basicGet_insideHttpRequest_recordsTheMessagesDiagnosticsNotTheRequests() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "inside-http", null);
    orders.basicPublish("", queue, null, BODY);
    Span handler = capture.service(PAYMENTS).getTracer("test").spanBuilder("GET /pay").startSpan();

    try (Scope ignored = inboundHttpRequest().with(handler).makeCurrent()) {
      RabbitBroker.awaitGet(payments, queue);
    } finally {
      handler.end();
    }

    List<SpanData> spans = awaitConsumerSpan();
    SpanData publish = only(spans, ORDERS, SpanKind.PRODUCER);
    SpanData receive = only(spans, PAYMENTS, SpanKind.CONSUMER);
    assertThat(receive.getAttributes().get(HopAttributes.REMOTE_PARENT))
        .isEqualTo(publish.getSpanId());
    assertThat(receive.getAttributes().get(HopAttributes.RECEIVED)).containsExactly("tracecontext");
  }

  @Test
  void basicGet_insideHttpRequest_propagatorWithoutDiagnostics_copiesNoStaleOnes()
      throws Exception {
    TracingChannel w3c =
        RabbitTracing.create(capture.service("w3c-poller", W3CTraceContextPropagator.getInstance()))
            .channel(broker.channel());
    String queue = RabbitBroker.declareQueue(w3c, "stale", null);
    orders.basicPublish("", queue, null, BODY);
    Span handler =
        capture.service("w3c-poller").getTracer("test").spanBuilder("GET /pay").startSpan();

    try (Scope ignored = inboundHttpRequest().with(handler).makeCurrent()) {
      RabbitBroker.awaitGet(w3c, queue);
    } finally {
      handler.end();
    }

    SpanData receive = only(awaitConsumerSpan(), "w3c-poller", SpanKind.CONSUMER);
    assertThat(receive.getAttributes().get(HopAttributes.RECEIVED)).isNull();
    assertThat(receive.getAttributes().get(HopAttributes.REMOTE_PARENT)).isNull();
    assertThat(receive.getLinks()).hasSize(1);
    w3c.close();
  }

  @Test
  void basicGet_emptyQueue_recordsNoSpan() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "empty", null);

    assertThat(payments.basicGet(queue, true)).isNull();
    // a later span proves the exporter is live, and that nothing came before it
    Span marker = capture.service(PAYMENTS).getTracer("test").spanBuilder("marker").startSpan();
    marker.end();
    assertThat(capture.awaitSpans(1)).extracting(SpanData::getName).containsExactly("marker");
  }

  @Test
  void consumerThrows_spanHasErrorAndNoScopeLeaks() throws Exception {
    Channel failing = paymentsTracing.channel(broker.channel());
    String queue = RabbitBroker.declareQueue(failing, "failing", null);
    failing.basicConsume(
        queue,
        true,
        (tag, delivery) -> {
          handledIn.add(Context.current());
          throw new IllegalStateException("payment declined");
        },
        tag -> {});

    orders.basicPublish("", queue, null, BODY);

    assertThat(handledIn.poll(10, TimeUnit.SECONDS)).isNotNull();
    SpanData process = only(awaitConsumerSpan(), PAYMENTS, SpanKind.CONSUMER);
    assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(process.getEvents()).anyMatch(e -> e.getName().equals("exception"));
  }

  @Test
  void publishOnClosedChannel_spanHasErrorAndExceptionPropagates() throws Exception {
    orders.close();

    assertThatThrownBy(() -> orders.basicPublish("", "nowhere", null, BODY))
        .isInstanceOf(AlreadyClosedException.class);

    SpanData publish = capture.awaitSpans(1).get(0);
    assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void channel_alreadyTraced_isReturnedAsIs() {
    assertThat(paymentsTracing.channel(payments)).isSameAs(payments);
  }

  @Test
  void consumerCallback_runsInProcessSpanWithMessageBaggage() throws Exception {
    String queue = RabbitBroker.declareQueue(payments, "baggage", null);
    consume(payments, queue);

    try (Scope ignored = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
      orders.basicPublish("", queue, null, BODY);
    }

    awaitDelivery();
    Context context = handledIn.poll(10, TimeUnit.SECONDS);
    SpanData process = only(awaitConsumerSpan(), PAYMENTS, SpanKind.CONSUMER);
    assertThat(Span.fromContext(context).getSpanContext().getSpanId())
        .isEqualTo(process.getSpanId());
    assertThat(Baggage.fromContext(context).getEntryValue("tenant")).isEqualTo("acme");
  }
}
