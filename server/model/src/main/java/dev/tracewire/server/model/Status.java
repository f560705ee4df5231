package dev.tracewire.server.model;

import java.util.Objects;

/** A span's status: code and an optional message (empty string when absent). */
public record Status(StatusCode code, String message) {
  /** The default status: unset, no message. */
  public static final Status UNSET = new Status(StatusCode.UNSET, "");

  public Status {
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
  }

  /** Returns a status; {@code null} message becomes empty. */
  public static Status create(StatusCode code, String message) {
    return code == StatusCode.UNSET && (message == null || message.isEmpty())
        ? UNSET
        : new Status(code, message);
  }
}
