package dev.tracewire.extension;

import dev.tracewire.propagation.Format;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurablePropagatorProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.List;
import java.util.Locale;

/**
 * Registers the universal propagator as {@code otel.propagators=tracewire}, configured from {@code
 * otel.tracewire.*} properties. Loaded by {@link java.util.ServiceLoader}; applications never call
 * it.
 *
 * <pre>{@code
 * java -javaagent:opentelemetry-javaagent.jar \
 *   -Dotel.javaagent.extensions=tracewire-javaagent-extension-all.jar \
 *   -Dotel.propagators=tracewire -Dotel.tracewire.precedence=b3,tracecontext -jar app.jar
 * }</pre>
 */
public final class TracewirePropagatorProvider implements ConfigurablePropagatorProvider {
  static final String PRECEDENCE = "otel.tracewire.precedence";
  static final String INJECT = "otel.tracewire.inject";
  static final String INJECT_INBOUND = "otel.tracewire.inject-inbound";
  static final String TRUST_BOUNDARY = "otel.tracewire.trust-boundary";

  /** Called by {@link java.util.ServiceLoader}. */
  public TracewirePropagatorProvider() {}

  @Override
  public TextMapPropagator getPropagator(ConfigProperties config) {
    TracewirePropagator.Builder builder = TracewirePropagator.newBuilder();
    Format[] precedence = formats(config, PRECEDENCE);
    Format[] inject = formats(config, INJECT);
    Boolean injectInbound = bool(config, INJECT_INBOUND);
    Boolean trustBoundary = bool(config, TRUST_BOUNDARY);
    // The builder owns the rules (e.g. which formats can carry a parent); we only name the
    // property.
    if (precedence != null) {
      try {
        builder.precedence(precedence);
      } catch (IllegalArgumentException e) {
        throw invalid(PRECEDENCE, config.getString(PRECEDENCE), e.getMessage());
      }
    }
    if (inject != null) {
      try {
        builder.inject(inject);
      } catch (IllegalArgumentException e) {
        throw invalid(INJECT, config.getString(INJECT), e.getMessage());
      }
    }
    if (injectInbound != null) builder.injectInbound(injectInbound);
    if (trustBoundary != null) builder.trustBoundary(trustBoundary);
    return builder.build();
  }

  @Override
  public String getName() {
    return "tracewire";
  }

  /** Returns the formats listed in {@code property}, or {@code null} when it is unset or empty. */
  static Format[] formats(ConfigProperties config, String property) {
    List<String> ids = config.getList(property);
    if (ids.isEmpty()) return null;
    Format[] formats = new Format[ids.size()];
    for (int i = 0; i < formats.length; i++) {
      Format format = Format.fromId(ids.get(i).toLowerCase(Locale.ROOT));
      if (format == null) {
        throw invalid(property, ids.get(i), "expected a comma list of " + knownIds());
      }
      formats[i] = format;
    }
    return formats;
  }

  /**
   * Returns the boolean in {@code property}, or {@code null} when unset. Stricter than {@link
   * ConfigProperties#getBoolean}, which reads any typo as {@code false}.
   */
  static Boolean bool(ConfigProperties config, String property) {
    String value = config.getString(property);
    if (value == null || value.isBlank()) return null;
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true")) return Boolean.TRUE;
    if (trimmed.equalsIgnoreCase("false")) return Boolean.FALSE;
    throw invalid(property, value, "expected true or false");
  }

  static ConfigurationException invalid(String property, String value, String expected) {
    return new ConfigurationException(property + ": " + value + " (" + expected + ")");
  }

  static String knownIds() {
    StringBuilder result = new StringBuilder();
    for (Format format : Format.values()) {
      if (result.length() > 0) result.append(", ");
      result.append(format.id());
    }
    return result.toString();
  }
}
