package dev.tracewire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.propagation.HopAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared "context survives this hop" suite every transport runs: one request or message from
 * the {@link #CALLER} service's exit side to the {@link #CALLEE} service's entry side, then checks
 * that the trace id is kept, the entry span is the exit span's child (or, for batches, links to
 * it), baggage arrives, hop diagnostics are right on both sides, no scope leaks and no span is
 * reported twice.
 *
 * <pre>{@code
 * class HttpHopTest extends HopSuite {
 *   @RegisterExtension static final TraceCapture capture = TraceCapture.create();
 *   // in @BeforeAll: a server for capture.service(CALLEE) whose handler calls HopSuite.calleeHandled(),
 *   // its executor wrapped by HopSuite.leakChecked(...)
 *
 *   @Override protected TraceCapture capture() { return capture; }
 *   @Override protected String transport() { return "http"; }
 *   @Override protected void send() throws Exception { client.send(request, discarding()); }
 * }
 * }</pre>
 *
 * <p>Tests of one JVM run one at a time: the callee's observations are kept in static state, since
 * the callee's handler is usually built before any test instance exists.
 */
public abstract class HopSuite {
  /** The service that sends; take its OpenTelemetry from {@code capture().service(CALLER)}. */
  public static final String CALLER = "caller";

  /** The service that receives; take its OpenTelemetry from {@code capture().service(CALLEE)}. */
  public static final String CALLEE = "callee";

  /** The baggage entry the caller sets and the callee must see. */
  public static final String BAGGAGE_KEY = "tracewire.hop";

  private static final BlockingQueue<Context> handled = new LinkedBlockingQueue<>();
  private static final Queue<String> leaks = new ConcurrentLinkedQueue<>();

  /**
   * Called by the callee's handler while it handles what {@link #send()} sent; records the context
   * the handler runs in.
   */
  public static void calleeHandled() {
    handled.add(Context.current());
  }

  /**
   * Wraps {@code task} so that a context still current after it ran (a leaked scope on the callee's
   * thread) fails the suite.
   */
  public static Runnable leakChecked(Runnable task) {
    return () -> {
      try {
        task.run();
      } finally {
        Context after = Context.current();
        if (after != Context.root()) {
          leaks.add(Thread.currentThread().getName() + " left " + after + " current");
        }
      }
    };
  }

  /** Wraps {@code executor} so that every task it runs is {@link #leakChecked(Runnable)}. */
  public static Executor leakChecked(Executor executor) {
    return task -> executor.execute(leakChecked(task));
  }

  /** The capture the caller's and callee's services come from. */
  protected abstract TraceCapture capture();

  /** The transport as {@link TraceAssert#hasHop} names it: {@code http}, {@code grpc}, ... */
  protected abstract String transport();

  /**
   * Sends one request or message from the caller's exit side in the current context (the caller's
   * span and baggage are current). Request/response transports return once the response arrived.
   */
  protected abstract void send() throws Exception;

  /**
   * Makes the callee's entry side handle what {@link #send()} sent, when that does not happen by
   * itself (e.g. polls a consumer on this thread). By default does nothing.
   */
  protected void receive() throws Exception {}

  /**
   * Whether the callee's entry span links to the caller's exit span instead of being its child, as
   * batch consumers do. By default false.
   */
  protected boolean linked() {
    return false;
  }

  /**
   * Whether the callee's entry span records the received/used diagnostics; by default only when it
   * is the exit span's child (a batch span has no single remote parent).
   */
  protected boolean entryRecordsDiagnostics() {
    return !linked();
  }

  /**
   * Whether the caller's baggage must arrive in the callee's handler; by default true. A batch
   * handler that serves many messages' baggage at once may turn the check off.
   */
  protected boolean carriesBaggage() {
    return true;
  }

  @BeforeEach
  void clearObservations() {
    handled.clear();
    leaks.clear();
  }

  /** The outcome of one hop driven by the suite. */
  final class Outcome {
    final Span callerSpan;
    final String baggageValue;
    final Context contextDuringCall;
    final Context contextAfterSend;
    final Context callerThreadAfter;
    final Context calleeContext;
    final SpanData exit;
    final SpanData entry;
    final List<SpanData> spans;

    Outcome(
        Span callerSpan,
        String baggageValue,
        Context contextDuringCall,
        Context contextAfterSend,
        Context callerThreadAfter,
        Context calleeContext,
        SpanData exit,
        SpanData entry,
        List<SpanData> spans) {
      this.callerSpan = callerSpan;
      this.baggageValue = baggageValue;
      this.contextDuringCall = contextDuringCall;
      this.contextAfterSend = contextAfterSend;
      this.callerThreadAfter = callerThreadAfter;
      this.calleeContext = calleeContext;
      this.exit = exit;
      this.entry = entry;
      this.spans = spans;
    }
  }

  private Outcome hop(boolean withCallerSpan) throws Exception {
    OpenTelemetry caller = capture().service(CALLER);
    capture().service(CALLEE);
    assertThat(Context.current())
        .as("Context.current() on the test thread before the hop")
        .isSameAs(Context.root());
    String value = UUID.randomUUID().toString();
    Span callerSpan =
        withCallerSpan
            ? caller.getTracer("tracewire-hop-suite").spanBuilder("caller work").startSpan()
            : Span.getInvalid();
    Context context =
        Context.root().with(callerSpan).with(Baggage.builder().put(BAGGAGE_KEY, value).build());
    Context afterSend;
    try (Scope ignored = context.makeCurrent()) {
      send();
      afterSend = Context.current();
    } finally {
      callerSpan.end();
    }
    Context callerThreadAfter = Context.current();
    receive();
    Context calleeContext = handled.poll(capture().timeout().toMillis(), TimeUnit.MILLISECONDS);
    if (calleeContext == null) {
      throw new AssertionError(
          "the callee never handled what the caller sent: did its handler call"
              + " HopSuite.calleeHandled()? captured: "
              + capture().spans().stream().map(Spans::brief).collect(Collectors.toList()));
    }
    capture()
        .awaitSpan(
            s -> Spans.isExit(s) && Spans.service(s).equals(CALLER),
            "an exit span (CLIENT or PRODUCER) of " + CALLER);
    if (withCallerSpan) {
      SpanContext callerContext = callerSpan.getSpanContext();
      capture()
          .awaitSpan(
              s -> s.getSpanContext().equals(callerContext), "the caller's span 'caller work'");
    }
    SpanData exit =
        only(
            capture().spans(),
            s -> Spans.isExit(s) && Spans.service(s).equals(CALLER),
            "exit span of " + CALLER);
    // a consumer may report several entry spans (receive, process): take the one this hop caused
    Predicate<SpanData> caused =
        s ->
            Spans.isEntry(s)
                && Spans.service(s).equals(CALLEE)
                && (linked()
                    ? CapturedTrace.linksTo(s, exit.getSpanContext())
                    : s.getTraceId().equals(exit.getTraceId())
                        && s.getParentSpanId().equals(exit.getSpanId()));
    List<SpanData> spans;
    try {
      spans =
          capture()
              .awaitSpan(caused, "the entry span of " + CALLEE + " caused by " + Spans.brief(exit));
    } catch (AssertionError broken) {
      // the hop broke: compare against whatever entry span the callee reported
      spans =
          capture()
              .awaitSpan(
                  s -> Spans.isEntry(s) && Spans.service(s).equals(CALLEE),
                  "an entry span (SERVER or CONSUMER) of " + CALLEE);
    }
    List<SpanData> causedSpans = spans.stream().filter(caused).collect(Collectors.toList());
    SpanData entry =
        causedSpans.size() == 1
            ? causedSpans.get(0)
            : only(
                spans,
                s -> Spans.isEntry(s) && Spans.service(s).equals(CALLEE),
                "entry span of " + CALLEE);
    return new Outcome(
        callerSpan,
        value,
        context,
        afterSend,
        callerThreadAfter,
        calleeContext,
        exit,
        entry,
        spans);
  }

  private static SpanData only(List<SpanData> spans, Predicate<SpanData> condition, String what) {
    List<SpanData> matching = spans.stream().filter(condition).collect(Collectors.toList());
    assertThat(matching)
        .as("exactly one %s among %s", what, spans.stream().map(Spans::brief).toList())
        .hasSize(1);
    return matching.get(0);
  }

  @Test
  public void hop_keepsTraceId() throws Exception {
    Outcome hop = hop(true);
    String traceId = hop.callerSpan.getSpanContext().getTraceId();
    assertThat(hop.exit.getTraceId()).as("the exit span's trace id").isEqualTo(traceId);
    if (linked()) {
      assertThat(CapturedTrace.linksTo(hop.entry, hop.exit.getSpanContext()))
          .as("%s links to %s", Spans.brief(hop.entry), Spans.brief(hop.exit))
          .isTrue();
    } else {
      assertThat(hop.entry.getTraceId())
          .as("%s's trace id", Spans.describe(hop.entry))
          .isEqualTo(traceId);
    }
  }

  @Test
  public void hop_entrySpanIsChildOfExitSpan() throws Exception {
    Outcome hop = hop(true);
    assertThat(hop.exit.getParentSpanId())
        .as("the exit span's parent is the caller's current span")
        .isEqualTo(hop.callerSpan.getSpanContext().getSpanId());
    if (linked()) {
      assertThat(CapturedTrace.linksTo(hop.entry, hop.exit.getSpanContext()))
          .as("%s links to %s", Spans.brief(hop.entry), Spans.brief(hop.exit))
          .isTrue();
    } else {
      assertThat(hop.entry.getParentSpanContext().isRemote())
          .as("%s's parent is remote", Spans.describe(hop.entry))
          .isTrue();
      assertThat(hop.entry.getParentSpanId())
          .as("%s's parent", Spans.describe(hop.entry))
          .isEqualTo(hop.exit.getSpanId());
    }
  }

  @Test
  public void hop_withoutCallerSpan_exitSpanStartsTheTrace() throws Exception {
    Outcome hop = hop(false);
    assertThat(hop.exit.getParentSpanContext().isValid()).as("the exit span is a root").isFalse();
    TraceAssert.assertThat(capture().trace(hop.exit.getTraceId()))
        .isUnbroken()
        .hasHop(CALLER, CALLEE, transport());
  }

  @Test
  public void hop_keepsBaggage() throws Exception {
    Assumptions.assumeTrue(carriesBaggage(), "this transport's handler gets no single baggage");
    Outcome hop = hop(true);
    assertThat(Baggage.fromContext(hop.calleeContext).getEntryValue(BAGGAGE_KEY))
        .as("baggage %s in the callee's handler", BAGGAGE_KEY)
        .isEqualTo(hop.baggageValue);
  }

  @Test
  public void hop_recordsDiagnosticsOnBothSides() throws Exception {
    Outcome hop = hop(true);
    assertThat(hop.exit.getAttributes().get(HopAttributes.INJECTED))
        .as("%s on %s", HopAttributes.INJECTED, Spans.brief(hop.exit))
        .contains("tracecontext", "baggage");
    if (entryRecordsDiagnostics()) {
      assertThat(hop.entry.getAttributes().get(HopAttributes.RECEIVED))
          .as("%s on %s", HopAttributes.RECEIVED, Spans.brief(hop.entry))
          .contains("tracecontext", "baggage");
      assertThat(hop.entry.getAttributes().get(HopAttributes.USED))
          .as("%s on %s", HopAttributes.USED, Spans.brief(hop.entry))
          .isEqualTo("tracecontext");
      assertThat(hop.entry.getAttributes().get(HopAttributes.REMOTE_PARENT))
          .as("%s on %s", HopAttributes.REMOTE_PARENT, Spans.brief(hop.entry))
          .isEqualTo(hop.exit.getSpanId());
    }
  }

  @Test
  public void hop_leaksNoScope() throws Exception {
    Outcome hop = hop(true);
    assertThat(hop.contextAfterSend)
        .as("Context.current() on the caller's thread right after send()")
        .isSameAs(hop.contextDuringCall);
    assertThat(hop.callerThreadAfter)
        .as("Context.current() on the caller's thread after the hop")
        .isSameAs(Context.root());
    assertThat(Context.current()).as("Context.current() after receive()").isSameAs(Context.root());
    SpanContext handler = Span.fromContext(hop.calleeContext).getSpanContext();
    assertThat(handler.getTraceId())
        .as("the trace current in the callee's handler")
        .isEqualTo(hop.entry.getTraceId());
    assertThat(leaks).as("contexts left current on the callee's threads").isEmpty();
  }

  @Test
  public void hop_reportsEverySpanOnce() throws Exception {
    Outcome hop = hop(true);
    TraceAssert.assertThat(capture().trace(hop.exit.getTraceId()))
        .isUnbroken()
        .hasHop(CALLER, CALLEE, transport());
    Set<String> seen = new HashSet<>();
    for (SpanData span : capture().spans()) {
      assertThat(seen.add(span.getTraceId() + "/" + span.getSpanId()))
          .as("%s reported once", Spans.brief(span))
          .isTrue();
    }
  }
}
