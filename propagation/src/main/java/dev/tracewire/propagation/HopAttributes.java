package dev.tracewire.propagation;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The hop-diagnostics attributes: the contract between the kit and the Tracewire server. Names and
 * types never change.
 */
public final class HopAttributes {
  /** Entry spans: ids of the formats present on the request, valid or not. */
  public static final AttributeKey<List<String>> RECEIVED =
      AttributeKey.stringArrayKey("tracewire.propagation.received");

  /** Entry spans: ids of the formats present but malformed. */
  public static final AttributeKey<List<String>> INVALID =
      AttributeKey.stringArrayKey("tracewire.propagation.invalid");

  /**
   * Entry spans: id of the format that became the parent; absent when none did. At a trust boundary
   * it names the format whose parent was refused (the span then has no remote parent but carries
   * {@link #REMOTE_PARENT}).
   */
  public static final AttributeKey<String> USED =
      AttributeKey.stringKey("tracewire.propagation.used");

  /** Entry spans: ids of valid formats whose trace or parent id disagree with the used one. */
  public static final AttributeKey<List<String>> CONFLICT =
      AttributeKey.stringArrayKey("tracewire.propagation.conflict");

  /**
   * Entry spans: the caller's span id as sent (16 lower-hex), recorded even when the service starts
   * a new trace, e.g. at a trust boundary.
   */
  public static final AttributeKey<String> REMOTE_PARENT =
      AttributeKey.stringKey("tracewire.propagation.remote_parent");

  /** Exit spans: ids of the formats written on the outgoing request. */
  public static final AttributeKey<List<String>> INJECTED =
      AttributeKey.stringArrayKey("tracewire.propagation.injected");

  private HopAttributes() {}
}
