package dev.tracewire.server.query;

/** A query parameter could not be used; the message names the parameter and what was expected. */
final class BadParameterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadParameterException(String parameter, String value, String expected) {
    super(parameter + ": " + quote(value) + " (expected: " + expected + ")", null, false, false);
  }

  private static String quote(String value) {
    if (value == null) return "missing";
    return "\"" + (value.length() > 80 ? value.substring(0, 80) + "…" : value) + "\"";
  }
}
