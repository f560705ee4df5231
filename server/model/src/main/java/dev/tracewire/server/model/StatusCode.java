package dev.tracewire.server.model;

/** A span's status code, numbered as in OTLP's {@code Status.StatusCode}. */
public enum StatusCode {
  UNSET(0),
  OK(1),
  ERROR(2);

  private static final StatusCode[] BY_NUMBER = values();

  private final int number;

  StatusCode(int number) {
    this.number = number;
  }

  /** The OTLP enum number. */
  public int number() {
    return number;
  }

  /** Returns the code for an OTLP number; unknown numbers map to {@link #UNSET}. */
  public static StatusCode forNumber(int number) {
    return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNSET;
  }
}
