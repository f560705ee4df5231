package dev.tracewire.server.storage;

/** A backend failed; the operation did not complete (for writes: not durable, safe to retry). */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
