package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingOperationType;
import io.opentelemetry.instrumentation.api.incubator.semconv.messaging.MessagingSpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.SpanLinksBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;

/**
 * Traces Kafka hops: wraps producers and consumers so the trace context, baggage and hop
 * diagnostics cross the broker in record headers, and both sides record the record's identity
 * (topic, partition, offset, message id) for exact pairing.
 *
 * <pre>{@code
 * KafkaTracing kafkaTracing = KafkaTracing.newBuilder(openTelemetry)
 *     .batchPolicy(BatchPolicy.BOTH)
 *     .build();
 * Producer<String, String> producer = kafkaTracing.producer(new KafkaProducer<>(config));
 * Consumer<String, String> consumer = kafkaTracing.consumer(new KafkaConsumer<>(config));
 * for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
 *   try (Scope scope = kafkaTracing.context(record).makeCurrent()) {
 *     handle(record); // spans and sends made here continue the record's trace
 *   }
 * }
 * }</pre>
 *
 * <p>A record re-sent to a retry or dead-letter topic keeps a span link to its original send: see
 * {@link #keepOrigin(ConsumerRecord, ProducerRecord)}.
 */
public final class KafkaTracing {
  static final String INSTRUMENTATION_NAME = "dev.tracewire.instrumentation.kafka";

  /** Returns tracing with the default {@link BatchPolicy#PER_RECORD}. */
  public static KafkaTracing create(OpenTelemetry openTelemetry) {
    return newBuilder(openTelemetry).build();
  }

  /** Returns a builder for tracing with options. */
  public static Builder newBuilder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  final TextMapPropagator propagator;
  final BatchPolicy batchPolicy;
  final Instrumenter<SendRequest, RecordMetadata> sendInstrumenter;
  final Instrumenter<ReceiveRequest, Void> receiveInstrumenter;
  final Instrumenter<ProcessRequest, Void> processInstrumenter;

  private KafkaTracing(Builder builder) {
    OpenTelemetry openTelemetry = builder.openTelemetry;
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.batchPolicy = builder.batchPolicy;
    this.sendInstrumenter =
        Instrumenter.<SendRequest, RecordMetadata>builder(
                openTelemetry,
                INSTRUMENTATION_NAME,
                MessagingSpanNameExtractor.create(
                    SendAttributesGetter.INSTANCE, MessagingOperationType.SEND, "send"))
            .addAttributesExtractor(
                MessagingAttributesExtractor.create(
                    SendAttributesGetter.INSTANCE, MessagingOperationType.SEND, "send"))
            .addAttributesExtractor(SendAttributesExtractor.INSTANCE)
            .addSpanLinksExtractor(
                (links, parentContext, request) -> linkOrigin(links, request.origin))
            .buildProducerInstrumenter(
                (request, key, value) ->
                    KafkaHeaders.INSTANCE.set(request.record.headers(), key, value));
    this.receiveInstrumenter =
        Instrumenter.<ReceiveRequest, Void>builder(
                openTelemetry,
                INSTRUMENTATION_NAME,
                MessagingSpanNameExtractor.create(
                    ReceiveAttributesGetter.INSTANCE, MessagingOperationType.RECEIVE, "poll"))
            .addAttributesExtractor(
                MessagingAttributesExtractor.create(
                    ReceiveAttributesGetter.INSTANCE, MessagingOperationType.RECEIVE, "poll"))
            .addAttributesExtractor(ReceiveAttributesExtractor.INSTANCE)
            .addSpanLinksExtractor(KafkaTracing::linkProducers)
            .buildInstrumenter(SpanKindExtractor.alwaysConsumer());
    this.processInstrumenter =
        Instrumenter.<ProcessRequest, Void>builder(
                openTelemetry,
                INSTRUMENTATION_NAME,
                MessagingSpanNameExtractor.create(
                    ProcessAttributesGetter.INSTANCE, MessagingOperationType.PROCESS, "process"))
            .addAttributesExtractor(
                MessagingAttributesExtractor.create(
                    ProcessAttributesGetter.INSTANCE, MessagingOperationType.PROCESS, "process"))
            .addAttributesExtractor(ProcessAttributesExtractor.INSTANCE)
            .addSpanLinksExtractor(
                (links, parentContext, request) ->
                    linkOrigin(links, OriginHeader.read(request.record.headers())))
            .buildInstrumenter(SpanKindExtractor.alwaysConsumer());
  }

  /** The policy consumers of this instance follow. */
  public BatchPolicy batchPolicy() {
    return batchPolicy;
  }

  /**
   * Wraps {@code producer}: each send gets a PRODUCER span, current while the record is handed to
   * Kafka, whose context is injected into the record's headers; it ends when the broker
   * acknowledges, with partition, offset and message id.
   */
  public <K, V> Producer<K, V> producer(Producer<K, V> producer) {
    return new TracingProducer<>(this, Objects.requireNonNull(producer, "producer"));
  }

  /**
   * Wraps {@code consumer}: each non-empty poll records its records as {@link #batchPolicy()} says,
   * before {@code poll} returns. Processing a record continues its trace under {@link
   * #context(ConsumerRecord)}.
   */
  public <K, V> Consumer<K, V> consumer(Consumer<K, V> consumer) {
    return new TracingConsumer<>(this, Objects.requireNonNull(consumer, "consumer"));
  }

  /**
   * The context to process {@code record} in: its CONSUMER span (its process span, or the poll's
   * receive span under {@link BatchPolicy#LINKS}) with the baggage it carried. For a record no
   * wrapped consumer returned, the context extracted from its headers.
   */
  public Context context(ConsumerRecord<?, ?> record) {
    if (record instanceof TracedRecord<?, ?> traced) return traced.context;
    return propagator.extract(Context.current(), record.headers(), KafkaHeaders.INSTANCE);
  }

  /**
   * Marks {@code resend} (to a retry or dead-letter topic) as a re-send of {@code consumed}: it
   * carries the {@code tracewire-origin} header naming {@code consumed}'s original send, so the
   * re-send's producer span and its consumers' spans link to it. Only needed when {@code resend}
   * does not copy {@code consumed}'s headers; a wrapped producer recognises copied ones itself.
   */
  public <K, V> ProducerRecord<K, V> keepOrigin(
      ConsumerRecord<?, ?> consumed, ProducerRecord<K, V> resend) {
    SpanContext origin = OriginHeader.read(consumed.headers());
    if (!origin.isValid()) {
      Context extracted =
          propagator.extract(Context.root(), consumed.headers(), KafkaHeaders.INSTANCE);
      origin = Span.fromContext(extracted).getSpanContext();
    }
    OriginHeader.write(resend.headers(), origin);
    return resend;
  }

  /**
   * The send a record being sent again still carries trace headers of, copied from the record it
   * was consumed as; invalid for a fresh record, or for headers the application injected from the
   * current span itself.
   */
  SpanContext copiedOrigin(Headers headers, Context parent) {
    if (KafkaHeaders.isEmpty(headers)) return SpanContext.getInvalid();
    SpanContext carried =
        Span.fromContext(propagator.extract(Context.root(), headers, KafkaHeaders.INSTANCE))
            .getSpanContext();
    SpanContext current = Span.fromContext(parent).getSpanContext();
    if (carried.getTraceId().equals(current.getTraceId())
        && carried.getSpanId().equals(current.getSpanId())) {
      return SpanContext.getInvalid();
    }
    return carried;
  }

  /**
   * Moves the copied trace headers' identity to {@code tracewire-origin}: the formats inject would
   * not rewrite would contradict the new send downstream (a conflict), so they are removed.
   */
  void markResend(Headers headers, SpanContext origin) {
    KafkaHeaders.removeTraceHeaders(headers, propagator.fields());
    OriginHeader.write(headers, origin);
  }

  /**
   * Records the spans of one poll and returns its records, each carrying the context to process it
   * in (see {@link TracedRecord}), in the same partitions and order, with the same next offsets.
   */
  <K, V> ConsumerRecords<K, V> onPoll(ConsumerRecords<K, V> records, String consumerGroup) {
    if (records.isEmpty()) return records;
    Context current = Context.current();
    List<ConsumerRecord<?, ?>> list = new ArrayList<>(records.count());
    List<Context> extracted = new ArrayList<>(records.count());
    for (ConsumerRecord<K, V> record : records) {
      list.add(record);
      extracted.add(propagator.extract(current, record.headers(), KafkaHeaders.INSTANCE));
    }

    Span receiveSpan = null;
    if (batchPolicy.receiveSpan()) {
      ReceiveRequest request = new ReceiveRequest(list, extracted, consumerGroup);
      if (receiveInstrumenter.shouldStart(current, request)) {
        Context receiveContext = receiveInstrumenter.start(current, request);
        receiveInstrumenter.end(receiveContext, request, null, null);
        receiveSpan = Span.fromContext(receiveContext);
      }
    }

    Context[] contexts = new Context[list.size()];
    for (int i = 0; i < list.size(); i++) {
      ConsumerRecord<?, ?> record = list.get(i);
      Context context = extracted.get(i);
      if (batchPolicy.recordSpans()) {
        ProcessRequest request = new ProcessRequest(record, context, consumerGroup);
        if (processInstrumenter.shouldStart(context, request)) {
          context = processInstrumenter.start(context, request);
          processInstrumenter.end(context, request, null, null);
        }
      } else if (receiveSpan != null) {
        // the record's baggage, under the span that linked its producer
        context = context.with(receiveSpan);
      }
      contexts[i] = context;
    }

    // the iterator walks partitions() in order, each partition's records in order
    Map<TopicPartition, List<ConsumerRecord<K, V>>> traced = new LinkedHashMap<>();
    int i = 0;
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<K, V>> inPartition = records.records(partition);
      List<ConsumerRecord<K, V>> copies = new ArrayList<>(inPartition.size());
      for (ConsumerRecord<K, V> record : inPartition) {
        copies.add(new TracedRecord<>(record, contexts[i++]));
      }
      traced.put(partition, copies);
    }
    return new ConsumerRecords<>(traced, records.nextOffsets());
  }

  private static void linkProducers(
      SpanLinksBuilder links, Context parentContext, ReceiveRequest request) {
    for (int i = 0; i < request.records.size(); i++) {
      SpanContext producer = Span.fromContext(request.extracted.get(i)).getSpanContext();
      // a record without trace headers extracts to the poller's own context: nothing to link
      if (producer.isValid() && producer.isRemote()) links.addLink(producer);
      linkOrigin(links, OriginHeader.read(request.records.get(i).headers()));
    }
  }

  private static void linkOrigin(SpanLinksBuilder links, SpanContext origin) {
    if (origin.isValid()) links.addLink(origin, OriginHeader.LINK_ATTRIBUTES);
  }

  /** Options for {@link KafkaTracing}. */
  public static final class Builder {
    final OpenTelemetry openTelemetry;
    BatchPolicy batchPolicy = BatchPolicy.PER_RECORD;

    Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
    }

    /** How consumers record a poll's records; default {@link BatchPolicy#PER_RECORD}. */
    public Builder batchPolicy(BatchPolicy batchPolicy) {
      this.batchPolicy = Objects.requireNonNull(batchPolicy, "batchPolicy");
      return this;
    }

    /** Returns tracing with these options. */
    public KafkaTracing build() {
      return new KafkaTracing(this);
    }
  }
}
