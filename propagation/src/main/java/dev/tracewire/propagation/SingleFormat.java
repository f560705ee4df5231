package dev.tracewire.propagation;

/** The propagators behind {@link Format#propagator()}, one per format, built once. */
final class SingleFormat {
  static final TracewirePropagator[] PROPAGATORS = new TracewirePropagator[Format.values().length];

  static {
    for (Format f : Format.values()) PROPAGATORS[f.ordinal()] = create(f);
  }

  private static TracewirePropagator create(Format format) {
    Format[] none = {};
    switch (format) {
      case BAGGAGE:
        return new TracewirePropagator(
            none, true, false, Formats.bit(Format.BAGGAGE), false, false, false);
      case REQUEST_ID:
        return new TracewirePropagator(
            none, false, true, Formats.bit(Format.REQUEST_ID), false, false, false);
      case SENTRY:
        return new TracewirePropagator(
            new Format[] {format},
            true,
            false,
            Formats.mask(Format.SENTRY, Format.BAGGAGE),
            false,
            false,
            false);
      default:
        return new TracewirePropagator(
            new Format[] {format}, false, false, Formats.bit(format), false, false, false);
    }
  }

  private SingleFormat() {}
}
