package dev.tracewire.instrumentation.grpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Where in a stream message the per-message context travels: a string-to-string map field (the
 * trace headers as entries) or a single string field (the headers as {@code name: value} lines).
 *
 * <pre>{@code
 * // message OrderRequest { ...; map<string, string> trace_context = 15; }
 * MessageCarrier<OrderRequest> carrier = MessageCarrier.stringMap(
 *     OrderRequest::getTraceContextMap,
 *     (request, fields) -> request.toBuilder().clearTraceContext().putAllTraceContext(fields).build());
 * }</pre>
 *
 * <p>The setter returns the message carrying the fields, so immutable messages (protobuf) work.
 * Whatever context the message carried before is replaced.
 *
 * @param <M> the message type
 */
public final class MessageCarrier<M> {

  /**
   * Carries the context in a string-to-string map field of the message.
   *
   * @param getter reads the map field; may return {@code null} or an empty map
   * @param setter returns the message with the map field holding exactly the given entries
   */
  public static <M> MessageCarrier<M> stringMap(
      Function<? super M, ? extends Map<String, String>> getter,
      BiFunction<? super M, Map<String, String>, ? extends M> setter) {
    Objects.requireNonNull(getter, "getter");
    Objects.requireNonNull(setter, "setter");
    return new MessageCarrier<>(
        message -> {
          Map<String, String> fields = getter.apply(message);
          return fields == null ? Collections.emptyMap() : fields;
        },
        setter::apply);
  }

  /**
   * Carries the context in one string field of the message, as {@code name: value} lines (trace
   * header values never contain a line break).
   *
   * @param getter reads the string field; may return {@code null} or an empty string
   * @param setter returns the message with the string field set to the given value
   */
  public static <M> MessageCarrier<M> stringField(
      Function<? super M, String> getter, BiFunction<? super M, String, ? extends M> setter) {
    Objects.requireNonNull(getter, "getter");
    Objects.requireNonNull(setter, "setter");
    return new MessageCarrier<>(
        message -> HeaderBlock.decode(getter.apply(message)),
        (message, fields) -> setter.apply(message, HeaderBlock.encode(fields)));
  }

  private final Function<M, Map<String, String>> reader;
  private final BiFunction<M, Map<String, String>, M> writer;

  private MessageCarrier(
      Function<M, Map<String, String>> reader, BiFunction<M, Map<String, String>, M> writer) {
    this.reader = reader;
    this.writer = writer;
  }

  /** The fields the message carries; empty, never null, when the user's getter fails. */
  Map<String, String> read(M message) {
    try {
      Map<String, String> fields = reader.apply(message);
      return fields == null ? Collections.emptyMap() : fields;
    } catch (RuntimeException e) {
      // a broken getter must not fail the stream; the message then carries nothing
      MessageContext.logger.log(Level.FINE, "carrier getter threw", e);
      return Collections.emptyMap();
    }
  }

  /** The message carrying {@code fields}; the user's setter may throw, the caller handles that. */
  M write(M message, Map<String, String> fields) {
    return writer.apply(message, Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
  }
}
