package dev.tracewire.server.storage.tck;

import static dev.tracewire.server.storage.tck.TestSpans.EPOCH_NANOS;

import dev.tracewire.server.analysis.Blame;
import dev.tracewire.server.analysis.Edge;
import dev.tracewire.server.analysis.EdgeStats;
import dev.tracewire.server.analysis.Finding;
import dev.tracewire.server.analysis.FindingKind;
import dev.tracewire.server.analysis.Hop;
import dev.tracewire.server.analysis.Pairing;
import dev.tracewire.server.analysis.Transport;
import java.util.List;
import java.util.Map;

/**
 * Named integrity fixtures (findings and edge counts) with fixed ids and times, for the suite.
 *
 * <p>{@code store.writeIntegrity(List.of(TestFindings.STRIPPED_AT_PROXY), List.of());}
 */
public final class TestFindings {
  public static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  public static final String CALLEE_TRACE = "0af7651916cd43dd8448eb211c80319c";
  public static final long MINUTE_NANOS = 60_000_000_000L;

  /** frontend → payments over HTTP lost its context at a proxy, at EPOCH + 1 s. */
  public static final Finding STRIPPED_AT_PROXY =
      Finding.newBuilder()
          .kind(FindingKind.CONTEXT_STRIPPED)
          .hop(new Hop("frontend", "payments", Transport.HTTP))
          .traceIds(List.of(CALLER_TRACE, CALLEE_TRACE))
          .spanIds(List.of("00f067aa0ba902b7", "b7ad6b7169203331", "00000000000000ff"))
          .blame(Blame.PATH)
          .pairing(Pairing.EXACT)
          .evidence("frontend injected [tracecontext, b3]; payments received nothing \"ü\"\n")
          .hint("Let traceparent through the proxy between frontend and payments.")
          .timeEpochNanos(EPOCH_NANOS + 1_000_000_000L)
          .build();

  /** orders → billing over Kafka: billing never extracted, at EPOCH + 2 s, heuristic pairing. */
  public static final Finding SPLIT_AT_KAFKA =
      Finding.newBuilder()
          .kind(FindingKind.CONTEXT_NOT_EXTRACTED)
          .hop(new Hop("orders", "billing", Transport.KAFKA))
          .traceIds(List.of("11111111111111111111111111111111", "22222222222222222222222222222222"))
          .spanIds(List.of("1111111111111111", "2222222222222222"))
          .pairing(Pairing.HEURISTIC)
          .evidence("billing received [tracecontext] and started a new trace")
          .hint("Extract the context in billing's Kafka consumer.")
          .timeEpochNanos(EPOCH_NANOS + 2_000_000_000L)
          .build();

  /** frontend → search: an exit nobody answered, at EPOCH + 3 s (informational). */
  public static final Finding UNPAIRED_SEARCH =
      Finding.newBuilder()
          .kind(FindingKind.UNPAIRED_EXIT)
          .hop(new Hop("frontend", null, Transport.GRPC))
          .traceIds(List.of(CALLER_TRACE))
          .spanIds(List.of("3333333333333333"))
          .timeEpochNanos(EPOCH_NANOS + 3_000_000_000L)
          .build();

  public static final Edge FRONTEND_PAYMENTS = new Edge("frontend", "payments", Transport.HTTP, "");
  public static final Edge ORDERS_BILLING =
      new Edge("orders", "billing", Transport.KAFKA, "orders.created");

  /** Counts for {@code edge} in the bucket starting {@code minute} minutes after EPOCH. */
  public static EdgeStats stats(
      Edge edge, int minute, long intact, long broken, Map<FindingKind, Long> byKind) {
    return EdgeStats.create(
        edge, EPOCH_NANOS + minute * MINUTE_NANOS, MINUTE_NANOS, intact, broken, byKind);
  }

  private TestFindings() {}
}
