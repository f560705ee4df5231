package dev.tracewire.cli;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.TracewirePropagator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options of {@link TracewirePropagator.Builder}, shared by every command that propagates. */
final class PropagatorOptions {
  @Option(
      names = "--precedence",
      split = ",",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      completionCandidates = FormatIds.class,
      description =
          "Order in which trace formats are tried on extract; the first valid one becomes the"
              + " parent. Default: tracecontext,b3,b3multi,jaeger,sentry. Formats: ${COMPLETION-CANDIDATES}.")
  List<Format> precedence;

  @Option(
      names = "--inject",
      split = ",",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      completionCandidates = FormatIds.class,
      description = "Formats always injected downstream. Default: tracecontext,baggage,xrequestid.")
  List<Format> inject;

  @Option(
      names = "--no-inject-inbound",
      description = "Do not also inject every format that arrived on the inbound request.")
  boolean noInjectInbound;

  @Option(
      names = "--trust-boundary",
      description =
          "Refuse external context: start a new trace that only links to the one received.")
  boolean trustBoundary;

  /** Returns the propagator these options describe; unset options keep the builder's defaults. */
  TracewirePropagator propagator() {
    TracewirePropagator.Builder builder = TracewirePropagator.newBuilder();
    if (precedence != null) builder.precedence(precedence.toArray(new Format[0]));
    if (inject != null) builder.inject(inject.toArray(new Format[0]));
    if (noInjectInbound) builder.injectInbound(false);
    if (trustBoundary) builder.trustBoundary(true);
    return builder.build();
  }

  /** Reads a format by its {@link Format#id()}. */
  static final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      Format format = Format.fromId(value.trim());
      if (format == null) {
        throw new TypeConversionException(
            "unknown format '" + value + "' (expected one of: " + String.join(", ", ids()) + ")");
      }
      return format;
    }
  }

  /** Lists format ids for help text. */
  static final class FormatIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ids().iterator();
    }
  }

  static List<String> ids() {
    List<String> ids = new ArrayList<>();
    for (Format format : Format.values()) ids.add(format.id());
    return ids;
  }
}
