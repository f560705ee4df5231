package dev.tracewire.instrumentation.kafka;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.metrics.KafkaMetric;

/** A producer whose sends get PRODUCER spans; everything else goes straight to the delegate. */
final class TracingProducer<K, V> implements Producer<K, V> {
  private final KafkaTracing tracing;
  private final Producer<K, V> delegate;

  TracingProducer(KafkaTracing tracing, Producer<K, V> delegate) {
    this.tracing = tracing;
    this.delegate = delegate;
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    Instrumenter<SendRequest, RecordMetadata> instrumenter = tracing.sendInstrumenter;
    Context parent = Context.current();
    if (record == null) return delegate.send(record, callback); // let Kafka reject it
    Headers headers = record.headers();
    SpanContext origin = OriginHeader.read(headers);
    boolean copied = false;
    if (!origin.isValid()) {
      origin = tracing.copiedOrigin(headers, parent);
      copied = origin.isValid();
    }
    SendRequest request = new SendRequest(record, origin);
    if (!instrumenter.shouldStart(parent, request)) return delegate.send(record, callback);
    if (copied) tracing.markResend(headers, origin);

    Context context = instrumenter.start(parent, request); // also injects into the headers
    TracingCallback traced = new TracingCallback(instrumenter, request, parent, context, callback);
    try (Scope ignored = context.makeCurrent()) {
      return delegate.send(record, traced);
    } catch (RuntimeException | Error e) {
      traced.end(null, e);
      throw e;
    }
  }

  /** Ends the span once, with the broker's answer, then runs the caller's callback. */
  static final class TracingCallback implements Callback {
    private final Instrumenter<SendRequest, RecordMetadata> instrumenter;
    private final SendRequest request;
    private final Context parent;
    private final Context context;
    private final Callback delegate;
    // ends once, whether Kafka calls back, throws, or both
    private final AtomicBoolean ended = new AtomicBoolean();

    TracingCallback(
        Instrumenter<SendRequest, RecordMetadata> instrumenter,
        SendRequest request,
        Context parent,
        Context context,
        Callback delegate) {
      this.instrumenter = instrumenter;
      this.request = request;
      this.parent = parent;
      this.context = context;
      this.delegate = delegate;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
      end(metadata, exception);
      if (delegate == null) return;
      // the caller's callback runs in the caller's context, as if untraced
      try (Scope ignored = parent.makeCurrent()) {
        delegate.onCompletion(metadata, exception);
      }
    }

    void end(RecordMetadata metadata, Throwable error) {
      if (ended.compareAndSet(false, true)) instrumenter.end(context, request, metadata, error);
    }
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
  }

  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
  }

  @Override
  public void abortTransaction() {
    delegate.abortTransaction();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  @Override
  public String toString() {
    return "TracingProducer{" + delegate + "}";
  }
}
