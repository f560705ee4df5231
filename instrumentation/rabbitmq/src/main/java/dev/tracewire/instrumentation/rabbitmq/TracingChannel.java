package dev.tracewire.instrumentation.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Command;
import com.rabbitmq.client.ConfirmCallback;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.ConsumerShutdownSignalCallback;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.ReturnCallback;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.WriteListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.internal.InstrumenterUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Channel} that traces what passes through it; get one from {@link
 * RabbitTracing#channel(Channel)}.
 *
 * <ul>
 *   <li>{@code basicPublish}: a PRODUCER span; its context goes into a copy of the message headers
 *       (the caller's properties are never changed), and a message id is set when absent.
 *   <li>{@code basicConsume} (a {@link Consumer} or a {@link DeliverCallback}): a CONSUMER {@code
 *       process} span around each delivery, the child of the publish, current while the callback
 *       runs, so a reply published from it continues the trace.
 *   <li>{@code basicGet}: a CONSUMER {@code receive} span; process the message in {@link
 *       RabbitTracing#context(GetResponse)}.
 *   <li>A dead-lettered delivery ({@code x-death}) links to the original publish.
 * </ul>
 *
 * <p>Every other method delegates unchanged. Like any channel, it is not meant to be shared between
 * publishing threads.
 */
public final class TracingChannel implements Channel {
  private final Channel delegate;
  private final RabbitTracing tracing;
  private final Peer peer;

  TracingChannel(Channel delegate, RabbitTracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
    this.peer = Peer.of(delegate.getConnection());
  }

  @Override
  public void basicPublish(
      String exchange, String routingKey, AMQP.BasicProperties props, byte[] body)
      throws IOException {
    basicPublish(exchange, routingKey, false, false, props, body);
  }

  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      AMQP.BasicProperties props,
      byte[] body)
      throws IOException {
    basicPublish(exchange, routingKey, mandatory, false, props, body);
  }

  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      boolean immediate,
      AMQP.BasicProperties props,
      byte[] body)
      throws IOException {
    publish(
        exchange,
        routingKey,
        props,
        body == null ? 0 : body.length,
        traced -> delegate.basicPublish(exchange, routingKey, mandatory, immediate, traced, body));
  }

  @Override
  public void basicPublish(
      String exchange,
      String routingKey,
      boolean mandatory,
      boolean immediate,
      AMQP.BasicProperties props,
      ByteBuffer body,
      WriteListener listener)
      throws IOException {
    publish(
        exchange,
        routingKey,
        props,
        body == null ? 0 : body.remaining(),
        traced ->
            delegate.basicPublish(
                exchange, routingKey, mandatory, immediate, traced, body, listener));
  }

  private interface Publish {
    void publish(AMQP.BasicProperties traced) throws IOException;
  }

  private void publish(
      String exchange,
      String routingKey,
      AMQP.BasicProperties props,
      long bodySize,
      Publish publish)
      throws IOException {
    Context parent = Context.current();
    String messageId = props == null ? null : props.getMessageId();
    boolean newMessageId = messageId == null && tracing.messageIdWhenAbsent;
    if (newMessageId) messageId = MessageIds.next();
    Map<String, Object> original = props == null ? null : props.getHeaders();
    SpanContext origin = SpanContext.getInvalid();
    boolean copied = false;
    if (original != null && !original.isEmpty()) {
      origin = OriginHeader.read(original);
      if (!origin.isValid()) {
        origin = copiedOrigin(original, parent);
        copied = origin.isValid();
      }
    }
    PublishRequest request =
        new PublishRequest(exchange, routingKey, props, messageId, bodySize, peer, origin);
    Instrumenter<PublishRequest, Void> instrumenter = tracing.publishInstrumenter;
    String addedMessageId = newMessageId ? messageId : null;
    SpanContext addedOrigin = copied ? origin : SpanContext.getInvalid();
    if (!instrumenter.shouldStart(parent, request)) {
      // no span of ours, but the trace the caller is in still travels
      publish.publish(withContext(parent, props, addedMessageId, addedOrigin));
      return;
    }
    Context context = instrumenter.start(parent, request);
    try {
      publish.publish(withContext(context, props, addedMessageId, addedOrigin));
    } catch (IOException | RuntimeException e) {
      instrumenter.end(context, request, null, e);
      throw e;
    }
    instrumenter.end(context, request, null, null);
  }

  /**
   * The publish whose trace headers {@code headers} still carry, copied from a consumed message
   * being published again; invalid when they carry none, or the current span's own.
   */
  private SpanContext copiedOrigin(Map<String, Object> headers, Context parent) {
    SpanContext carried =
        Span.fromContext(tracing.propagator.extract(Context.root(), headers, Headers.INSTANCE))
            .getSpanContext();
    if (!carried.isValid()) return carried;
    SpanContext current = Span.fromContext(parent).getSpanContext();
    if (carried.getTraceId().equals(current.getTraceId())
        && carried.getSpanId().equals(current.getSpanId())) {
      return SpanContext.getInvalid();
    }
    return carried;
  }

  /**
   * A copy of {@code props} whose headers carry {@code context} (and {@code origin} when valid);
   * the caller's properties and map are untouched.
   */
  private AMQP.BasicProperties withContext(
      Context context, AMQP.BasicProperties props, String newMessageId, SpanContext origin) {
    Map<String, Object> original = props == null ? null : props.getHeaders();
    Map<String, Object> headers;
    if (original == null || original.isEmpty()) {
      headers = new HashMap<>(8);
    } else {
      headers = new HashMap<>(original);
      // trace headers of a message being published again describe its old publish, not this one
      for (String field : tracing.propagator.fields()) {
        if (!Headers.KEPT_ON_REPUBLISH.contains(field)) headers.remove(field);
      }
    }
    OriginHeader.write(headers, origin);
    tracing.propagator.inject(context, headers, Headers.INSTANCE);
    AMQP.BasicProperties.Builder builder =
        props == null ? new AMQP.BasicProperties.Builder() : props.builder();
    builder.headers(headers);
    if (newMessageId != null) builder.messageId(newMessageId);
    return builder.build();
  }

  @Override
  public GetResponse basicGet(String queue, boolean autoAck) throws IOException {
    Instant start = Instant.now();
    GetResponse response;
    try {
      response = delegate.basicGet(queue, autoAck);
    } catch (IOException | RuntimeException e) {
      Context current = Context.current();
      DeliveryRequest request = DeliveryRequest.failed(queue, peer, current);
      if (tracing.receiveInstrumenter.shouldStart(current, request)) {
        InstrumenterUtil.startAndEnd(
            tracing.receiveInstrumenter, current, request, null, e, start, Instant.now());
      }
      throw e;
    }
    // an empty poll is not a hop: no span, so polling loops do not flood the trace store
    if (response == null) return null;
    Instant end = Instant.now();
    Context current = Context.current();
    boolean localParent = Span.fromContext(current).getSpanContext().isValid();
    DeliveryRequest request =
        DeliveryRequest.of(
            tracing,
            queue,
            response.getEnvelope(),
            response.getProps(),
            response.getBody(),
            peer,
            current,
            localParent);
    Context parent = localParent ? current : request.parent(tracing);
    if (!tracing.receiveInstrumenter.shouldStart(parent, request)) {
      return new TracedGetResponse(response, request.processing(parent));
    }
    Context context =
        InstrumenterUtil.startAndEnd(
            tracing.receiveInstrumenter, parent, request, null, null, start, end);
    return new TracedGetResponse(response, request.processing(context));
  }

  interface Processing {
    void run() throws IOException;
  }

  /** Runs {@code processing} in a CONSUMER process span of the delivery, current meanwhile. */
  void process(
      String queue,
      Envelope envelope,
      AMQP.BasicProperties properties,
      byte[] body,
      Processing processing)
      throws IOException {
    Context current = Context.current();
    DeliveryRequest request =
        DeliveryRequest.of(tracing, queue, envelope, properties, body, peer, current, false);
    Context parent = request.parent(tracing);
    Instrumenter<DeliveryRequest, Void> instrumenter = tracing.processInstrumenter;
    if (!instrumenter.shouldStart(parent, request)) {
      try (Scope ignored = parent.makeCurrent()) {
        processing.run();
      }
      return;
    }
    Context context = instrumenter.start(parent, request);
    Throwable error = null;
    try (Scope ignored = context.makeCurrent()) {
      processing.run();
    } catch (IOException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      instrumenter.end(context, request, null, error);
    }
  }

  private Consumer tracing(Consumer consumer, String queue) {
    if (consumer == null || consumer instanceof TracingConsumer) return consumer;
    return new TracingConsumer(consumer, queue, this);
  }

  private DeliverCallback tracing(DeliverCallback callback, String queue) {
    if (callback == null) return null;
    return (consumerTag, delivery) ->
        process(
            queue,
            delivery.getEnvelope(),
            delivery.getProperties(),
            delivery.getBody(),
            () -> callback.handle(consumerTag, delivery));
  }

  @Override
  public Consumer getDefaultConsumer() {
    Consumer consumer = delegate.getDefaultConsumer();
    return consumer instanceof TracingConsumer ? ((TracingConsumer) consumer).delegate : consumer;
  }

  @Override
  public void setDefaultConsumer(Consumer consumer) {
    delegate.setDefaultConsumer(tracing(consumer, null));
  }

  @Override
  public String toString() {
    return "TracingChannel{" + delegate + "}";
  }

  @Override
  public int getChannelNumber() {
    return delegate.getChannelNumber();
  }

  @Override
  public Connection getConnection() {
    return delegate.getConnection();
  }

  @Override
  public void close() throws IOException, TimeoutException {
    delegate.close();
  }

  @Override
  public void close(int closeCode, String closeMessage) throws IOException, TimeoutException {
    delegate.close(closeCode, closeMessage);
  }

  @Override
  public void abort() throws IOException {
    delegate.abort();
  }

  @Override
  public void abort(int closeCode, String closeMessage) throws IOException {
    delegate.abort(closeCode, closeMessage);
  }

  @Override
  public void addReturnListener(ReturnListener listener) {
    delegate.addReturnListener(listener);
  }

  @Override
  public ReturnListener addReturnListener(ReturnCallback returnCallback) {
    return delegate.addReturnListener(returnCallback);
  }

  @Override
  public boolean removeReturnListener(ReturnListener listener) {
    return delegate.removeReturnListener(listener);
  }

  @Override
  public void clearReturnListeners() {
    delegate.clearReturnListeners();
  }

  @Override
  public void addConfirmListener(ConfirmListener listener) {
    delegate.addConfirmListener(listener);
  }

  @Override
  public ConfirmListener addConfirmListener(
      ConfirmCallback ackCallback, ConfirmCallback nackCallback) {
    return delegate.addConfirmListener(ackCallback, nackCallback);
  }

  @Override
  public boolean removeConfirmListener(ConfirmListener listener) {
    return delegate.removeConfirmListener(listener);
  }

  @Override
  public void clearConfirmListeners() {
    delegate.clearConfirmListeners();
  }

  @Override
  public void basicQos(int prefetchSize, int prefetchCount, boolean global) throws IOException {
    delegate.basicQos(prefetchSize, prefetchCount, global);
  }

  @Override
  public void basicQos(int prefetchCount, boolean global) throws IOException {
    delegate.basicQos(prefetchCount, global);
  }

  @Override
  public void basicQos(int prefetchCount) throws IOException {
    delegate.basicQos(prefetchCount);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, String type) throws IOException {
    return delegate.exchangeDeclare(exchange, type);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, BuiltinExchangeType type)
      throws IOException {
    return delegate.exchangeDeclare(exchange, type);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(String exchange, String type, boolean durable)
      throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(
      String exchange, BuiltinExchangeType type, boolean durable) throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(
      String exchange,
      String type,
      boolean durable,
      boolean autoDelete,
      Map<String, Object> arguments)
      throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(
      String exchange,
      BuiltinExchangeType type,
      boolean durable,
      boolean autoDelete,
      Map<String, Object> arguments)
      throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(
      String exchange,
      String type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments)
      throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclare(
      String exchange,
      BuiltinExchangeType type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments)
      throws IOException {
    return delegate.exchangeDeclare(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public void exchangeDeclareNoWait(
      String exchange,
      String type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments)
      throws IOException {
    delegate.exchangeDeclareNoWait(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public void exchangeDeclareNoWait(
      String exchange,
      BuiltinExchangeType type,
      boolean durable,
      boolean autoDelete,
      boolean internal,
      Map<String, Object> arguments)
      throws IOException {
    delegate.exchangeDeclareNoWait(exchange, type, durable, autoDelete, internal, arguments);
  }

  @Override
  public AMQP.Exchange.DeclareOk exchangeDeclarePassive(String exchange) throws IOException {
    return delegate.exchangeDeclarePassive(exchange);
  }

  @Override
  public AMQP.Exchange.DeleteOk exchangeDelete(String exchange, boolean ifUnused)
      throws IOException {
    return delegate.exchangeDelete(exchange, ifUnused);
  }

  @Override
  public void exchangeDeleteNoWait(String exchange, boolean ifUnused) throws IOException {
    delegate.exchangeDeleteNoWait(exchange, ifUnused);
  }

  @Override
  public AMQP.Exchange.DeleteOk exchangeDelete(String exchange) throws IOException {
    return delegate.exchangeDelete(exchange);
  }

  @Override
  public AMQP.Exchange.BindOk exchangeBind(String destination, String source, String routingKey)
      throws IOException {
    return delegate.exchangeBind(destination, source, routingKey);
  }

  @Override
  public AMQP.Exchange.BindOk exchangeBind(
      String destination, String source, String routingKey, Map<String, Object> arguments)
      throws IOException {
    return delegate.exchangeBind(destination, source, routingKey, arguments);
  }

  @Override
  public void exchangeBindNoWait(
      String destination, String source, String routingKey, Map<String, Object> arguments)
      throws IOException {
    delegate.exchangeBindNoWait(destination, source, routingKey, arguments);
  }

  @Override
  public AMQP.Exchange.UnbindOk exchangeUnbind(String destination, String source, String routingKey)
      throws IOException {
    return delegate.exchangeUnbind(destination, source, routingKey);
  }

  @Override
  public AMQP.Exchange.UnbindOk exchangeUnbind(
      String destination, String source, String routingKey, Map<String, Object> arguments)
      throws IOException {
    return delegate.exchangeUnbind(destination, source, routingKey, arguments);
  }

  @Override
  public void exchangeUnbindNoWait(
      String destination, String source, String routingKey, Map<String, Object> arguments)
      throws IOException {
    delegate.exchangeUnbindNoWait(destination, source, routingKey, arguments);
  }

  @Override
  public AMQP.Queue.DeclareOk queueDeclare() throws IOException {
    return delegate.queueDeclare();
  }

  @Override
  public AMQP.Queue.DeclareOk queueDeclare(
      String queue,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      Map<String, Object> arguments)
      throws IOException {
    return delegate.queueDeclare(queue, durable, exclusive, autoDelete, arguments);
  }

  @Override
  public void queueDeclareNoWait(
      String queue,
      boolean durable,
      boolean exclusive,
      boolean autoDelete,
      Map<String, Object> arguments)
      throws IOException {
    delegate.queueDeclareNoWait(queue, durable, exclusive, autoDelete, arguments);
  }

  @Override
  public AMQP.Queue.DeclareOk queueDeclarePassive(String queue) throws IOException {
    return delegate.queueDeclarePassive(queue);
  }

  @Override
  public AMQP.Queue.DeleteOk queueDelete(String queue) throws IOException {
    return delegate.queueDelete(queue);
  }

  @Override
  public AMQP.Queue.DeleteOk queueDelete(String queue, boolean ifUnused, boolean ifEmpty)
      throws IOException {
    return delegate.queueDelete(queue, ifUnused, ifEmpty);
  }

  @Override
  public void queueDeleteNoWait(String queue, boolean ifUnused, boolean ifEmpty)
      throws IOException {
    delegate.queueDeleteNoWait(queue, ifUnused, ifEmpty);
  }

  @Override
  public AMQP.Queue.BindOk queueBind(String queue, String exchange, String routingKey)
      throws IOException {
    return delegate.queueBind(queue, exchange, routingKey);
  }

  @Override
  public AMQP.Queue.BindOk queueBind(
      String queue, String exchange, String routingKey, Map<String, Object> arguments)
      throws IOException {
    return delegate.queueBind(queue, exchange, routingKey, arguments);
  }

  @Override
  public void queueBindNoWait(
      String queue, String exchange, String routingKey, Map<String, Object> arguments)
      throws IOException {
    delegate.queueBindNoWait(queue, exchange, routingKey, arguments);
  }

  @Override
  public AMQP.Queue.UnbindOk queueUnbind(String queue, String exchange, String routingKey)
      throws IOException {
    return delegate.queueUnbind(queue, exchange, routingKey);
  }

  @Override
  public AMQP.Queue.UnbindOk queueUnbind(
      String queue, String exchange, String routingKey, Map<String, Object> arguments)
      throws IOException {
    return delegate.queueUnbind(queue, exchange, routingKey, arguments);
  }

  @Override
  public AMQP.Queue.PurgeOk queuePurge(String queue) throws IOException {
    return delegate.queuePurge(queue);
  }

  @Override
  public void basicAck(long deliveryTag, boolean multiple) throws IOException {
    delegate.basicAck(deliveryTag, multiple);
  }

  @Override
  public void basicNack(long deliveryTag, boolean multiple, boolean requeue) throws IOException {
    delegate.basicNack(deliveryTag, multiple, requeue);
  }

  @Override
  public void basicReject(long deliveryTag, boolean requeue) throws IOException {
    delegate.basicReject(deliveryTag, requeue);
  }

  @Override
  public String basicConsume(String queue, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, tracing(callback, queue));
  }

  @Override
  public String basicConsume(
      String queue, DeliverCallback deliverCallback, CancelCallback cancelCallback)
      throws IOException {
    return delegate.basicConsume(queue, tracing(deliverCallback, queue), cancelCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(queue, tracing(deliverCallback, queue), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, tracing(deliverCallback, queue), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, Consumer callback) throws IOException {
    return delegate.basicConsume(queue, autoAck, tracing(callback, queue));
  }

  @Override
  public String basicConsume(
      String queue, boolean autoAck, DeliverCallback deliverCallback, CancelCallback cancelCallback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, tracing(deliverCallback, queue), cancelCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, tracing(deliverCallback, queue), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, tracing(deliverCallback, queue), cancelCallback, shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue, boolean autoAck, Map<String, Object> arguments, Consumer callback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, arguments, tracing(callback, queue));
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      Map<String, Object> arguments,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, arguments, tracing(deliverCallback, queue), cancelCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      Map<String, Object> arguments,
      DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, arguments, tracing(deliverCallback, queue), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      Map<String, Object> arguments,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue,
        autoAck,
        arguments,
        tracing(deliverCallback, queue),
        cancelCallback,
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(String queue, boolean autoAck, String consumerTag, Consumer callback)
      throws IOException {
    return delegate.basicConsume(queue, autoAck, consumerTag, tracing(callback, queue));
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, consumerTag, tracing(deliverCallback, queue), cancelCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, consumerTag, tracing(deliverCallback, queue), shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue,
        autoAck,
        consumerTag,
        tracing(deliverCallback, queue),
        cancelCallback,
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean noLocal,
      boolean exclusive,
      Map<String, Object> arguments,
      Consumer callback)
      throws IOException {
    return delegate.basicConsume(
        queue, autoAck, consumerTag, noLocal, exclusive, arguments, tracing(callback, queue));
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean noLocal,
      boolean exclusive,
      Map<String, Object> arguments,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback)
      throws IOException {
    return delegate.basicConsume(
        queue,
        autoAck,
        consumerTag,
        noLocal,
        exclusive,
        arguments,
        tracing(deliverCallback, queue),
        cancelCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean noLocal,
      boolean exclusive,
      Map<String, Object> arguments,
      DeliverCallback deliverCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue,
        autoAck,
        consumerTag,
        noLocal,
        exclusive,
        arguments,
        tracing(deliverCallback, queue),
        shutdownSignalCallback);
  }

  @Override
  public String basicConsume(
      String queue,
      boolean autoAck,
      String consumerTag,
      boolean noLocal,
      boolean exclusive,
      Map<String, Object> arguments,
      DeliverCallback deliverCallback,
      CancelCallback cancelCallback,
      ConsumerShutdownSignalCallback shutdownSignalCallback)
      throws IOException {
    return delegate.basicConsume(
        queue,
        autoAck,
        consumerTag,
        noLocal,
        exclusive,
        arguments,
        tracing(deliverCallback, queue),
        cancelCallback,
        shutdownSignalCallback);
  }

  @Override
  public void basicCancel(String consumerTag) throws IOException {
    delegate.basicCancel(consumerTag);
  }

  @Override
  public AMQP.Basic.RecoverOk basicRecover() throws IOException {
    return delegate.basicRecover();
  }

  @Override
  public AMQP.Basic.RecoverOk basicRecover(boolean requeue) throws IOException {
    return delegate.basicRecover(requeue);
  }

  @Override
  public AMQP.Tx.SelectOk txSelect() throws IOException {
    return delegate.txSelect();
  }

  @Override
  public AMQP.Tx.CommitOk txCommit() throws IOException {
    return delegate.txCommit();
  }

  @Override
  public AMQP.Tx.RollbackOk txRollback() throws IOException {
    return delegate.txRollback();
  }

  @Override
  public AMQP.Confirm.SelectOk confirmSelect() throws IOException {
    return delegate.confirmSelect();
  }

  @Override
  public long getNextPublishSeqNo() {
    return delegate.getNextPublishSeqNo();
  }

  @Override
  public boolean waitForConfirms() throws InterruptedException {
    return delegate.waitForConfirms();
  }

  @Override
  public boolean waitForConfirms(long timeout) throws InterruptedException, TimeoutException {
    return delegate.waitForConfirms(timeout);
  }

  @Override
  public void waitForConfirmsOrDie() throws IOException, InterruptedException {
    delegate.waitForConfirmsOrDie();
  }

  @Override
  public void waitForConfirmsOrDie(long timeout)
      throws IOException, InterruptedException, TimeoutException {
    delegate.waitForConfirmsOrDie(timeout);
  }

  @Override
  public void asyncRpc(Method method) throws IOException {
    delegate.asyncRpc(method);
  }

  @Override
  public Command rpc(Method method) throws IOException {
    return delegate.rpc(method);
  }

  @Override
  public long messageCount(String queue) throws IOException {
    return delegate.messageCount(queue);
  }

  @Override
  public long consumerCount(String queue) throws IOException {
    return delegate.consumerCount(queue);
  }

  @Override
  public CompletableFuture<Command> asyncCompletableRpc(Method method) throws IOException {
    return delegate.asyncCompletableRpc(method);
  }

  @Override
  public void addShutdownListener(ShutdownListener listener) {
    delegate.addShutdownListener(listener);
  }

  @Override
  public void removeShutdownListener(ShutdownListener listener) {
    delegate.removeShutdownListener(listener);
  }

  @Override
  public ShutdownSignalException getCloseReason() {
    return delegate.getCloseReason();
  }

  @Override
  public void notifyListeners() {
    delegate.notifyListeners();
  }

  @Override
  public boolean isOpen() {
    return delegate.isOpen();
  }
}
