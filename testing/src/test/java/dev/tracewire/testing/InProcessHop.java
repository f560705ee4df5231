package dev.tracewire.testing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A hop through a map of headers, instrumented by hand the way a transport module does it: the
 * caller's PRODUCER span injects, the callee extracts and runs a CONSUMER span.
 */
final class InProcessHop {
  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");

  static final TextMapSetter<Map<String, String>> SETTER = Map::put;
  static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  /**
   * Starts the caller's exit span in the current context, injects, and delivers the headers: while
   * the exit span is open for a request ({@code http}), after it ended for a message.
   */
  static void send(OpenTelemetry caller, boolean http, Consumer<Map<String, String>> deliver) {
    Span exit =
        caller
            .getTracer("test")
            .spanBuilder(http ? "GET" : "publish")
            .setSpanKind(http ? SpanKind.CLIENT : SpanKind.PRODUCER)
            .setAttribute(http ? HTTP_METHOD : MESSAGING_SYSTEM, http ? "GET" : "inproc")
            .startSpan();
    Map<String, String> headers = new HashMap<>();
    try (Scope ignored = exit.makeCurrent()) {
      caller.getPropagators().getTextMapPropagator().inject(Context.current(), headers, SETTER);
      if (http) deliver.accept(headers);
    } finally {
      exit.end();
    }
    if (!http) deliver.accept(headers);
  }

  /** Extracts {@code headers} as the callee and runs {@code handler} in its entry span. */
  static void receive(
      OpenTelemetry callee, Map<String, String> headers, boolean http, Runnable handler) {
    Context extracted =
        callee.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    Span entry =
        callee
            .getTracer("test")
            .spanBuilder(http ? "GET /pay" : "process")
            .setParent(extracted)
            .setSpanKind(http ? SpanKind.SERVER : SpanKind.CONSUMER)
            .setAttribute(http ? HTTP_METHOD : MESSAGING_SYSTEM, http ? "GET" : "inproc")
            .startSpan();
    try (Scope ignored = extracted.with(entry).makeCurrent()) {
      handler.run();
    } finally {
      entry.end();
    }
  }

  /**
   * Extracts {@code headers} as a batch consumer does: a CONSUMER span that starts its own trace
   * and links to the producer's span, with {@code handler} run in it.
   */
  static void receiveLinked(OpenTelemetry callee, Map<String, String> headers, Runnable handler) {
    Context extracted =
        callee.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    Span entry =
        callee
            .getTracer("test")
            .spanBuilder("receive")
            .setNoParent()
            .addLink(Span.fromContext(extracted).getSpanContext())
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(MESSAGING_SYSTEM, "inproc")
            .startSpan();
    try (Scope ignored = entry.makeCurrent()) {
      handler.run();
    } finally {
      entry.end();
    }
  }

  private InProcessHop() {}
}
