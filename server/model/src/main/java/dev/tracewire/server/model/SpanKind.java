package dev.tracewire.server.model;

/** The role of a span in a hop, numbered as in OTLP's {@code Span.SpanKind}. */
public enum SpanKind {
  UNSPECIFIED(0),
  INTERNAL(1),
  SERVER(2),
  CLIENT(3),
  PRODUCER(4),
  CONSUMER(5);

  private static final SpanKind[] BY_NUMBER = values();

  private final int number;

  SpanKind(int number) {
    this.number = number;
  }

  /** The OTLP enum number. */
  public int number() {
    return number;
  }

  /** Returns the kind for an OTLP number; unknown numbers map to {@link #UNSPECIFIED}. */
  public static SpanKind forNumber(int number) {
    return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNSPECIFIED;
  }
}
