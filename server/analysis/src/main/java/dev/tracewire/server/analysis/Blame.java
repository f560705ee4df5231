package dev.tracewire.server.analysis;

/**
 * Who lost the context on a hop, as precisely as the evidence allows; {@link #wireName()} is the
 * stable name in JSON and storage.
 *
 * <p>{@code Blame blame = Blame.fromWireName("caller_or_path");}
 */
public enum Blame {
  /** The service making the call or sending the message. */
  CALLER("caller"),
  /** Something between the two services: proxy, mesh, broker, gateway. */
  PATH("path"),
  /** The service receiving the call or message. */
  CALLEE("callee"),
  /** The caller or the path; the caller reports no diagnostics that would tell them apart. */
  CALLER_OR_PATH("caller_or_path"),
  /** The path or the callee; the callee reports no diagnostics that would tell them apart. */
  PATH_OR_CALLEE("path_or_callee"),
  /** The callee's propagator configuration (or the caller's choice of formats). */
  CALLEE_CONFIG("callee_config"),
  /** The service that should have reported the missing span. */
  REPORTER("reporter"),
  /** Nobody: the finding informs, it is not a break. */
  INFORMATIONAL("informational");

  private static final Blame[] VALUES = values();

  private final String wireName;

  Blame(String wireName) {
    this.wireName = wireName;
  }

  /** The stable lower_snake name, e.g. {@code caller_or_path}. */
  public String wireName() {
    return wireName;
  }

  /** Returns the blame with this wire name, or {@code null}. */
  public static Blame fromWireName(String wireName) {
    for (Blame b : VALUES) {
      if (b.wireName.equals(wireName)) return b;
    }
    return null;
  }
}
