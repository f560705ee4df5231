package dev.tracewire.instrumentation.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.HopAttributes;
import dev.tracewire.propagation.TracewirePropagator;
import dev.tracewire.testing.TraceAssert;
import dev.tracewire.testing.TraceCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batches under each policy, exact pairing by partition and offset, re-sends to retry and
 * dead-letter topics, and failed sends, against a real in-JVM broker.
 */
class KafkaTracingTest {
  @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();
  @RegisterExtension static final TraceCapture capture = TraceCapture.create();

  static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> LINK_KIND = AttributeKey.stringKey("tracewire.link");

  static Producer<String, String> orders; // the "orders" service's producer

  @BeforeAll
  static void startProducer() {
    orders = KafkaTracing.create(capture.service("orders")).producer(kafka.newProducer());
  }

  @AfterAll
  static void stopProducer() {
    orders.close(Duration.ofSeconds(5));
  }

  @Test
  void send_pairsExactlyByPartitionOffsetAndMessageId() throws Exception {
    String topic = kafka.newTopic("identity", 3);
    RecordMetadata sent =
        orders.send(new ProducerRecord<>(topic, 2, "order-7", "paid")).get(10, TimeUnit.SECONDS);
    KafkaTracing billing = KafkaTracing.create(capture.service("billing"));
    try (Consumer<String, String> consumer = billing.consumer(kafka.newConsumer("billing"))) {
      consumer.subscribe(List.of(topic));
      assertThat(pollUntil(consumer, 1)).hasSize(1);
    }

    SpanData producer = only(SpanKind.PRODUCER, "orders");
    SpanData process = only(SpanKind.CONSUMER, "billing");
    String messageId = topic + "-2@" + sent.offset();
    for (SpanData span : List.of(producer, process)) {
      assertThat(span.getAttributes().get(KafkaAttributes.PARTITION_ID)).isEqualTo("2");
      assertThat(span.getAttributes().get(KafkaAttributes.OFFSET)).isEqualTo(sent.offset());
      assertThat(span.getAttributes().get(KafkaAttributes.MESSAGE_ID)).isEqualTo(messageId);
      assertThat(span.getAttributes().get(KafkaAttributes.MESSAGE_KEY)).isEqualTo("order-7");
      assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
          .isEqualTo(topic);
    }
    assertThat(process.getAttributes().get(KafkaAttributes.CONSUMER_GROUP)).isEqualTo("billing");
    assertThat(process.getParentSpanId()).isEqualTo(producer.getSpanId());
    assertThat(process.getAttributes().get(HopAttributes.REMOTE_PARENT))
        .isEqualTo(producer.getSpanId());
  }

  @Test
  void batchConsume_links_oneReceiveSpanLinksEveryProducer() throws Exception {
    List<SpanData> producers = consumeBatch(BatchPolicy.LINKS, "billing-links");

    List<SpanData> consumers = spans(SpanKind.CONSUMER, "billing-links");
    assertThat(consumers).as("CONSUMER spans under LINKS").hasSize(1);
    SpanData receive = consumers.get(0);
    assertThat(receive.getParentSpanContext().isValid()).as("receive span is a root").isFalse();
    assertThat(linkedSpanIds(receive)).containsExactlyInAnyOrderElementsOf(spanIds(producers));
    assertThat(receive.getAttributes().get(KafkaAttributes.BATCH_COUNT)).isEqualTo(3L);
    assertThat(receive.getAttributes().get(HopAttributes.RECEIVED))
        .contains("tracecontext", "baggage");
    assertThat(receive.getAttributes().get(HopAttributes.USED)).isEqualTo("tracecontext");
    for (SpanData producer : producers) {
      TraceAssert.assertThat(capture.trace(producer.getTraceId()))
          .isUnbroken()
          .hasHop("orders", "billing-links", "kafka");
    }
  }

  @Test
  void batchConsume_perRecord_eachProcessSpanIsChildOfItsProducer() throws Exception {
    List<SpanData> producers = consumeBatch(BatchPolicy.PER_RECORD, "billing-records");

    List<SpanData> consumers = spans(SpanKind.CONSUMER, "billing-records");
    assertThat(consumers).as("CONSUMER spans under PER_RECORD").hasSize(3);
    for (SpanData producer : producers) {
      SpanData process = childOf(consumers, producer);
      assertThat(process.getTraceId()).isEqualTo(producer.getTraceId());
      assertThat(process.getLinks()).isEmpty();
      assertThat(process.getAttributes().get(KafkaAttributes.MESSAGE_ID))
          .isEqualTo(producer.getAttributes().get(KafkaAttributes.MESSAGE_ID));
    }
  }

  @Test
  void batchConsume_both_receiveLinksAndRecordsAreChildren() throws Exception {
    List<SpanData> producers = consumeBatch(BatchPolicy.BOTH, "billing-both");

    List<SpanData> consumers = spans(SpanKind.CONSUMER, "billing-both");
    assertThat(consumers).as("CONSUMER spans under BOTH").hasSize(4);
    List<SpanData> receives =
        consumers.stream().filter(s -> !s.getLinks().isEmpty()).collect(Collectors.toList());
    assertThat(receives).hasSize(1);
    assertThat(linkedSpanIds(receives.get(0)))
        .containsExactlyInAnyOrderElementsOf(spanIds(producers));
    for (SpanData producer : producers) {
      assertThat(childOf(consumers, producer).getKind()).isEqualTo(SpanKind.CONSUMER);
    }
  }

  @Test
  void context_underEachPolicy_isTheRecordsConsumerSpanWithItsBaggage() throws Exception {
    String topic = kafka.newTopic("context", 1);
    sendFromCallerSpan(topic, "v", "orders-baggage");
    for (BatchPolicy policy : BatchPolicy.values()) {
      KafkaTracing tracing =
          KafkaTracing.newBuilder(capture.service("ctx-" + policy)).batchPolicy(policy).build();
      try (Consumer<String, String> consumer = tracing.consumer(kafka.newConsumer(null))) {
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        ConsumerRecord<String, String> record = pollUntil(consumer, 1).get(0);
        Context context = tracing.context(record);
        SpanContext current = Span.fromContext(context).getSpanContext();
        SpanData consumerSpan =
            spans(SpanKind.CONSUMER, "ctx-" + policy).stream()
                .filter(s -> s.getSpanId().equals(current.getSpanId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(policy + ": context is no CONSUMER span"));
        assertThat(consumerSpan.getName())
            .as("%s: the span processing continues under", policy)
            .endsWith(policy == BatchPolicy.LINKS ? " receive" : " process");
        assertThat(
                io.opentelemetry.api.baggage.Baggage.fromContext(context).getEntryValue("tenant"))
            .as("%s: baggage in the record's context", policy)
            .isEqualTo("orders-baggage");
      }
      assertThat(Context.current()).isSameAs(Context.root());
    }
  }

  @Test
  void resend_withCopiedHeaders_linksRetryAndDeadLetterToOriginalSend() throws Exception {
    String main = kafka.newTopic("payments", 1);
    String retry = kafka.newTopic("payments-retry", 1);
    String dlq = kafka.newTopic("payments-dlq", 1);
    sendFromCallerSpan(main, "charge", "t1");
    SpanData original = only(SpanKind.PRODUCER, "orders");

    // billing fails and re-sends the record as is (headers copied) to the retry topic
    hopAndResend("billing", main, retry, false);
    // the retry worker fails again and dead-letters it, headers copied again
    hopAndResend("billing-retry", retry, dlq, false);
    ConsumerRecord<String, String> dead = consumeOne("dlq", dlq);

    SpanData retrySend = only(SpanKind.PRODUCER, "billing");
    SpanData dlqSend = only(SpanKind.PRODUCER, "billing-retry");
    SpanData dlqProcess = only(SpanKind.CONSUMER, "dlq");
    assertThat(retrySend.getParentSpanId())
        .as("the retry send is the child of billing's process span")
        .isEqualTo(only(SpanKind.CONSUMER, "billing").getSpanId());
    assertOriginLink(retrySend, original);
    assertOriginLink(dlqSend, original);
    assertOriginLink(dlqProcess, original);
    assertThat(dlqProcess.getParentSpanId()).isEqualTo(dlqSend.getSpanId());
    assertThat(header(dead, OriginHeader.NAME))
        .as("the original send's traceparent, flags as it was sent")
        .startsWith("00-" + original.getTraceId() + "-" + original.getSpanId() + "-");
    assertThat(dead.headers().headers("traceparent")).as("traceparent replaced").hasSize(1);
  }

  @Test
  void resend_freshRecordWithKeepOrigin_linksToOriginalSend() throws Exception {
    String main = kafka.newTopic("invoices", 1);
    String dlq = kafka.newTopic("invoices-dlq", 1);
    sendFromCallerSpan(main, "invoice", "t2");
    SpanData original = only(SpanKind.PRODUCER, "orders");

    hopAndResend("invoicing", main, dlq, true);
    consumeOne("invoices-dlq", dlq);

    assertOriginLink(only(SpanKind.PRODUCER, "invoicing"), original);
    assertOriginLink(only(SpanKind.CONSUMER, "invoices-dlq"), original);
  }

  @Test
  void resend_byRedriverOutsideAnyTrace_dropsStaleTraceHeadersAndKeepsOrigin() throws Exception {
    String main = kafka.newTopic("shipments", 1);
    String dlq = kafka.newTopic("shipments-dlq", 1);
    // the original sender also writes B3, which the re-driver would not write again
    OpenTelemetry legacy =
        capture.service(
            "legacy-orders",
            TracewirePropagator.newBuilder().inject(Format.TRACECONTEXT, Format.B3).build());
    Span caller = legacy.getTracer("test").spanBuilder("checkout").startSpan();
    try (Producer<String, String> producer =
            KafkaTracing.create(legacy).producer(kafka.newProducer());
        Scope ignored = caller.makeCurrent()) {
      producer.send(new ProducerRecord<>(main, "k", "parcel")).get(10, TimeUnit.SECONDS);
    } finally {
      caller.end();
    }
    SpanData original = only(SpanKind.PRODUCER, "legacy-orders");

    // a re-driver job reads with a plain consumer and re-sends the record as is, in no trace
    KafkaTracing redriver = KafkaTracing.create(capture.service("redriver"));
    try (Consumer<String, String> plain = kafka.newConsumer(null);
        Producer<String, String> producer = redriver.producer(kafka.newProducer())) {
      plain.assign(List.of(new TopicPartition(main, 0)));
      ConsumerRecord<String, String> record = pollUntil(plain, 1).get(0);
      assertThat(record.headers().lastHeader("b3")).as("the original send wrote b3").isNotNull();
      producer
          .send(new ProducerRecord<>(dlq, null, record.key(), record.value(), record.headers()))
          .get(10, TimeUnit.SECONDS);
    }
    ConsumerRecord<String, String> dead = consumeOne("dlq-reader", dlq);

    SpanData resend = only(SpanKind.PRODUCER, "redriver");
    SpanData process = only(SpanKind.CONSUMER, "dlq-reader");
    assertThat(resend.getParentSpanContext().isValid()).isFalse();
    assertOriginLink(resend, original);
    assertOriginLink(process, original);
    assertThat(dead.headers().lastHeader("b3")).as("stale b3 of the original send").isNull();
    assertThat(process.getParentSpanId()).isEqualTo(resend.getSpanId());
    assertThat(process.getAttributes().get(HopAttributes.CONFLICT)).isNull();
    assertThat(process.getAttributes().get(HopAttributes.RECEIVED)).doesNotContain("b3");
  }

  @Test
  void send_freshRecord_hasNoOriginLinkOrHeader() throws Exception {
    String topic = kafka.newTopic("fresh", 1);
    sendFromCallerSpan(topic, "v", "t3");
    ConsumerRecord<String, String> record = consumeOne("fresh-reader", topic);

    assertThat(only(SpanKind.PRODUCER, "orders").getLinks()).isEmpty();
    assertThat(only(SpanKind.CONSUMER, "fresh-reader").getLinks()).isEmpty();
    assertThat(record.headers().lastHeader(OriginHeader.NAME)).isNull();
  }

  @Test
  void send_rejectedRecord_endsSpanWithErrorAndCallsBackInCallersContext() throws Exception {
    String topic = kafka.newTopic("too-large", 1);
    String huge = "x".repeat(2 * 1024 * 1024); // over the default max.request.size
    Span caller = capture.service("orders").getTracer("test").spanBuilder("checkout").startSpan();
    CompletableFuture<Context> callbackContext = new CompletableFuture<>();
    CompletableFuture<Exception> callbackError = new CompletableFuture<>();
    try (Scope ignored = Context.current().with(caller).makeCurrent()) {
      orders.send(
          new ProducerRecord<>(topic, "k", huge),
          (metadata, exception) -> {
            callbackContext.complete(Context.current());
            callbackError.complete(exception);
          });
    } finally {
      caller.end();
    }

    assertThat(callbackError.get(10, TimeUnit.SECONDS)).isInstanceOf(RecordTooLargeException.class);
    assertThat(Span.fromContext(callbackContext.get()).getSpanContext())
        .as("the callback runs in the caller's context")
        .isEqualTo(caller.getSpanContext());
    SpanData producer = only(SpanKind.PRODUCER, "orders");
    assertThat(producer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(producer.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void context_ofRecordNoWrapperPolled_isExtractedFromItsHeaders() {
    KafkaTracing tracing = KafkaTracing.create(capture.service("plain"));
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<String, String> record =
        new ConsumerRecord<>(
            "t", 0, 5L, 0L, TimestampType.CREATE_TIME, 1, 1, "k", "v", headers, null);

    SpanContext parent = Span.fromContext(tracing.context(record)).getSpanContext();

    assertThat(parent.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parent.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(parent.isRemote()).isTrue();
  }

  /**
   * Three records, each sent from its own caller span, consumed in one poll under {@code policy}.
   */
  private List<SpanData> consumeBatch(BatchPolicy policy, String service) throws Exception {
    String topic = kafka.newTopic("batch", 1);
    for (int i = 0; i < 3; i++) sendFromCallerSpan(topic, "v" + i, "t" + i);
    List<SpanData> producers = spans(SpanKind.PRODUCER, "orders");
    assertThat(producers).hasSize(3);
    KafkaTracing tracing =
        KafkaTracing.newBuilder(capture.service(service)).batchPolicy(policy).build();
    try (Consumer<String, String> consumer = tracing.consumer(kafka.newConsumer(null))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      assertThat(pollUntil(consumer, 3)).hasSize(3);
    }
    return producers;
  }

  /** Sends one record from a fresh root span of "orders" carrying baggage tenant={@code tenant}. */
  private static void sendFromCallerSpan(String topic, String value, String tenant)
      throws Exception {
    OpenTelemetry otel = capture.service("orders");
    Span caller = otel.getTracer("test").spanBuilder("checkout").setNoParent().startSpan();
    Context context =
        Context.root()
            .with(caller)
            .with(io.opentelemetry.api.baggage.Baggage.builder().put("tenant", tenant).build());
    try (Scope ignored = context.makeCurrent()) {
      orders.send(new ProducerRecord<>(topic, "k", value)).get(10, TimeUnit.SECONDS);
    } finally {
      caller.end();
    }
  }

  /**
   * {@code service} consumes one record from {@code from} and, in its context, re-sends it to
   * {@code to}: with the consumed headers copied, or as a fresh record marked by keepOrigin.
   */
  private static void hopAndResend(String service, String from, String to, boolean fresh)
      throws Exception {
    KafkaTracing tracing = KafkaTracing.create(capture.service(service));
    try (Consumer<String, String> consumer = tracing.consumer(kafka.newConsumer(null));
        Producer<String, String> producer = tracing.producer(kafka.newProducer())) {
      consumer.assign(List.of(new TopicPartition(from, 0)));
      ConsumerRecord<String, String> record = pollUntil(consumer, 1).get(0);
      try (Scope ignored = tracing.context(record).makeCurrent()) {
        ProducerRecord<String, String> resend =
            fresh
                ? tracing.keepOrigin(record, new ProducerRecord<>(to, record.key(), record.value()))
                : new ProducerRecord<>(to, null, record.key(), record.value(), record.headers());
        producer.send(resend).get(10, TimeUnit.SECONDS);
      }
    }
  }

  private static ConsumerRecord<String, String> consumeOne(String service, String topic) {
    KafkaTracing tracing = KafkaTracing.create(capture.service(service));
    try (Consumer<String, String> consumer = tracing.consumer(kafka.newConsumer(null))) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      return pollUntil(consumer, 1).get(0);
    }
  }

  private static List<ConsumerRecord<String, String>> pollUntil(
      Consumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (records.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    assertThat(records).as("records polled within 20s").hasSizeGreaterThanOrEqualTo(count);
    return records;
  }

  private static void assertOriginLink(SpanData span, SpanData original) {
    List<LinkData> origins =
        span.getLinks().stream()
            .filter(l -> "origin".equals(l.getAttributes().get(LINK_KIND)))
            .collect(Collectors.toList());
    assertThat(origins).as("origin links of %s", span.getName()).hasSize(1);
    assertThat(origins.get(0).getSpanContext().getSpanId())
        .as("%s links to the original send", span.getName())
        .isEqualTo(original.getSpanId());
    assertThat(origins.get(0).getSpanContext().getTraceId()).isEqualTo(original.getTraceId());
  }

  private static String header(ConsumerRecord<?, ?> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<SpanData> spans(SpanKind kind, String service) {
    return capture.spans().stream()
        .filter(s -> s.getKind() == kind)
        .filter(s -> service.equals(s.getResource().getAttribute(SERVICE_NAME)))
        .collect(Collectors.toList());
  }

  private static SpanData only(SpanKind kind, String service) {
    List<SpanData> spans = spans(kind, service);
    assertThat(spans).as("%s spans of %s", kind, service).hasSize(1);
    return spans.get(0);
  }

  private static SpanData childOf(List<SpanData> spans, SpanData parent) {
    List<SpanData> children =
        spans.stream()
            .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
            .collect(Collectors.toList());
    assertThat(children).as("children of %s", parent.getSpanId()).hasSize(1);
    return children.get(0);
  }

  private static List<String> linkedSpanIds(SpanData span) {
    return span.getLinks().stream()
        .map(l -> l.getSpanContext().getSpanId())
        .collect(Collectors.toList());
  }

  private static List<String> spanIds(List<SpanData> spans) {
    return spans.stream().map(SpanData::getSpanId).collect(Collectors.toList());
  }

  @Test
  void poll_returnsWhatTheConsumerReturns_eachRecordCarryingItsConsumerSpan() throws Exception {
    String topic = kafka.newTopic("traced", 2);
    try (KafkaProducer<String, String> producer = kafka.newProducer()) {
      for (int i = 0; i < 6; i++) {
        ProducerRecord<String, String> record =
            new ProducerRecord<>(topic, i % 2, "k" + i, "value" + i);
        record.headers().add("app-header", ("h" + i).getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
      }
    }
    List<TopicPartition> partitions =
        List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
    KafkaTracing tracing = KafkaTracing.create(capture.service("billing"));

    ConsumerRecords<String, String> expected;
    ConsumerRecords<String, String> polled;
    try (Consumer<String, String> plain = kafka.newConsumer(null);
        Consumer<String, String> wrapped = tracing.consumer(kafka.newConsumer(null))) {
      expected = pollAllSix(plain, partitions);
      polled = pollAllSix(wrapped, partitions);
    }

    assertThat(polled.count()).isEqualTo(6).isEqualTo(expected.count());
    assertThat(polled.partitions()).containsExactlyInAnyOrderElementsOf(expected.partitions());
    assertThat(polled.nextOffsets()).isEqualTo(expected.nextOffsets());
    List<SpanData> consumerSpans =
        capture.spans().stream().filter(s -> s.getKind() == SpanKind.CONSUMER).toList();
    for (TopicPartition partition : partitions) {
      List<ConsumerRecord<String, String>> want = expected.records(partition);
      List<ConsumerRecord<String, String>> got = polled.records(partition);
      assertThat(got).hasSize(3).hasSameSizeAs(want);
      for (int i = 0; i < want.size(); i++) {
        ConsumerRecord<String, String> record = got.get(i);
        ConsumerRecord<String, String> original = want.get(i);
        assertThat(record).isInstanceOf(TracedRecord.class);
        assertThat(record.topic()).isEqualTo(original.topic());
        assertThat(record.partition()).isEqualTo(original.partition());
        assertThat(record.offset()).isEqualTo(original.offset());
        assertThat(record.timestamp()).isEqualTo(original.timestamp());
        assertThat(record.timestampType()).isEqualTo(original.timestampType());
        assertThat(record.serializedKeySize()).isEqualTo(original.serializedKeySize());
        assertThat(record.serializedValueSize()).isEqualTo(original.serializedValueSize());
        assertThat(record.key()).isEqualTo(original.key());
        assertThat(record.value()).isEqualTo(original.value());
        assertThat(record.headers()).isEqualTo(original.headers());
        assertThat(record.leaderEpoch()).isEqualTo(original.leaderEpoch());
        assertThat(record.deliveryCount()).isEqualTo(original.deliveryCount());
        String spanId = Span.fromContext(tracing.context(record)).getSpanContext().getSpanId();
        assertThat(consumerSpans)
            .filteredOn(s -> s.getSpanId().equals(spanId))
            .singleElement()
            .satisfies(s -> assertThat(s.getName()).isEqualTo(topic + " process"));
      }
    }
  }

  /** All six records in one batch: polls until a poll returns them all. */
  private static ConsumerRecords<String, String> pollAllSix(
      Consumer<String, String> consumer, List<TopicPartition> partitions) {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
      if (records.count() == 6) return records;
      if (!records.isEmpty()) consumer.seekToBeginning(partitions); // a partial batch: again
    }
    throw new AssertionError("the broker never returned all six records in one poll");
  }
}
