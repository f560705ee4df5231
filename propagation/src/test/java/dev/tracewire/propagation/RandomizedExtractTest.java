package dev.tracewire.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary header input, mostly near-valid (valid headers mutated one to a few characters at a
 * time), never throws and never yields a half-valid context.
 */
class RandomizedExtractTest {
  static final long SEED = 0x7ace_7172eL;
  static final int ITERATIONS = 30_000;

  static final String[] NAMES = {
    "traceparent",
    "tracestate",
    "b3",
    "X-B3-TraceId",
    "X-B3-SpanId",
    "X-B3-ParentSpanId",
    "X-B3-Sampled",
    "X-B3-Flags",
    "uber-trace-id",
    "uberctx-user",
    "sentry-trace",
    "baggage",
    "x-request-id",
  };

  static final String[] SEEDS = {
    TestObjects.TRACEPARENT,
    TestObjects.TRACESTATE,
    TestObjects.B3,
    TestObjects.TRACE_ID,
    TestObjects.SPAN_ID,
    TestObjects.PARENT_SPAN_ID,
    "1",
    "1",
    TestObjects.UBER_TRACE_ID_URL_ENCODED,
    "a%20b",
    TestObjects.SENTRY_TRACE,
    TestObjects.BAGGAGE,
    TestObjects.REQUEST_ID,
  };

  /** Edge shapes every header is sometimes given: zero ids, other versions, sampling-only. */
  static final String[] EDGES = {
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future",
    "0000000000000000-00f067aa0ba902b7-1",
    "00000000000000000000000000000000",
    "0000000000000000",
    "0:0:0:1",
    "d",
    "0",
    "",
  };

  static final String ALPHABET = "0123456789abcdefABCDEF-:%3;=, \t\u00e9\u0000fF0d@_*/.zx\n";

  final Random random = new Random(SEED);
  final TracewirePropagator propagator = TracewirePropagator.create();
  final TracewirePropagator edge = TracewirePropagator.newBuilder().trustBoundary(true).build();

  @Test
  void extract_arbitraryHeaders_neverThrowsNorYieldsHalfValidContext() {
    int parents = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      Headers headers = randomHeaders();
      Context context = propagator.extract(Context.root(), headers, Headers.GETTER);
      HopDiagnostics diagnostics = HopDiagnostics.fromContext(context);
      String input = headers.toString();

      assertThat(diagnostics).as(input).isNotNull();
      SpanContext parent = Span.fromContext(context).getSpanContext();
      assertWholeOrInvalid(parent, input);
      if (parent.isValid()) parents++;
      assertConsistent(diagnostics, parent, input);
      assertInjectRoundTrips(context, parent, input);

      HopDiagnostics atEdge = edge.inspect(headers, Headers.GETTER);
      assertThat(atEdge.remoteParent()).as(input).isEqualTo(diagnostics.remoteParent());
      assertThat(atEdge.trustBoundaryApplied()).as(input).isEqualTo(parent.isValid());
      for (Format format : Format.values()) {
        Context single = format.propagator().extract(Context.root(), headers, Headers.GETTER);
        assertWholeOrInvalid(Span.fromContext(single).getSpanContext(), input);
      }
    }
    // the generator must exercise both outcomes, or this test could not fail
    assertThat(parents).isBetween(ITERATIONS / 20, ITERATIONS - ITERATIONS / 20);
  }

  static void assertWholeOrInvalid(SpanContext spanContext, String input) {
    if (!spanContext.isValid()) {
      assertThat(spanContext).as(input).isEqualTo(SpanContext.getInvalid());
      return;
    }
    assertThat(spanContext.getTraceId())
        .as(input)
        .matches("[0-9a-f]{32}")
        .isNotEqualTo("0".repeat(32));
    assertThat(spanContext.getSpanId())
        .as(input)
        .matches("[0-9a-f]{16}")
        .isNotEqualTo("0".repeat(16));
    assertThat(spanContext.isRemote()).as(input).isTrue();
    assertThat(spanContext.getTraceFlags().asByte() & ~0x03).as(input).isZero();
  }

  static void assertConsistent(HopDiagnostics diagnostics, SpanContext parent, String input) {
    assertThat(diagnostics.received()).as(input).containsAll(diagnostics.invalid());
    assertThat(diagnostics.received()).as(input).containsAll(diagnostics.conflicts());
    for (Format conflict : diagnostics.conflicts()) {
      assertThat(diagnostics.invalid()).as(input).doesNotContain(conflict);
    }
    for (FormatReading reading : diagnostics.readings()) {
      assertWholeOrInvalid(reading.spanContext(), input);
      if (reading.valid()) {
        assertThat(reading.reason()).as(input).isNull();
        if (!reading.spanContext().isValid()) {
          // only a sampling decision without ids, or a format that carries no span
          assertThat(reading.format())
              .as(input)
              .isIn(Format.B3, Format.B3_MULTI, Format.BAGGAGE, Format.REQUEST_ID);
          if (reading.format() == Format.B3 || reading.format() == Format.B3_MULTI) {
            assertThat(reading.sampled()).as(input).isNotNull();
          }
        }
      } else {
        assertThat(reading.reason()).as(input).isNotBlank();
        assertThat(reading.spanContext().isValid()).as(input).isFalse();
      }
    }
    if (diagnostics.used() == null) {
      assertThat(parent.isValid()).as(input).isFalse();
      assertThat(diagnostics.conflicts()).as(input).isEmpty();
    } else {
      assertThat(parent).as(input).isEqualTo(diagnostics.remoteParent());
      assertThat(diagnostics.conflicts()).as(input).doesNotContain(diagnostics.used());
      FormatReading first =
          diagnostics.readings().stream()
              .filter(r -> r.valid() && r.spanContext().isValid())
              .findFirst()
              .orElseThrow();
      assertThat(first.format()).as(input).isEqualTo(diagnostics.used());
    }
  }

  void assertInjectRoundTrips(Context context, SpanContext parent, String input) {
    Headers out = new Headers();
    propagator.inject(context, out, Headers.SETTER);
    if (!parent.isValid()) {
      assertThat(out.get("traceparent")).as(input).isNull();
      return;
    }
    HopDiagnostics again = propagator.inspect(out, Headers.GETTER);
    assertThat(again.remoteParent().getTraceId()).as(input).isEqualTo(parent.getTraceId());
    assertThat(again.remoteParent().getSpanId()).as(input).isEqualTo(parent.getSpanId());
    assertThat(again.invalid()).as(input + "\nout:\n" + out).isEmpty();
    assertThat(again.conflicts()).as(input + "\nout:\n" + out).isEmpty();
  }

  Headers randomHeaders() {
    Headers headers = new Headers();
    int count = random.nextInt(5);
    for (int i = 0; i < count; i++) {
      int which = random.nextInt(NAMES.length);
      String value;
      switch (random.nextInt(4)) {
        case 0:
          value = SEEDS[which];
          break;
        case 1:
          value =
              random.nextBoolean()
                  ? randomString(random.nextInt(60))
                  : mutate(EDGES[random.nextInt(EDGES.length)], random.nextInt(2));
          break;
        default:
          value =
              mutate(
                  SEEDS[random.nextInt(3) == 0 ? random.nextInt(SEEDS.length) : which],
                  1 + random.nextInt(3));
      }
      headers.add(NAMES[which], value);
    }
    return headers;
  }

  String mutate(String value, int mutations) {
    StringBuilder result = new StringBuilder(value);
    for (int m = 0; m < mutations; m++) {
      int at = result.length() == 0 ? 0 : random.nextInt(result.length());
      switch (random.nextInt(5)) {
        case 0:
          if (result.length() > 0) result.setCharAt(at, randomChar());
          break;
        case 1:
          if (result.length() > 0) result.deleteCharAt(at);
          break;
        case 2:
          result.insert(at, randomChar());
          break;
        case 3:
          result.setLength(at);
          break;
        default:
          if (result.length() > 0) result.setCharAt(at, Character.toUpperCase(result.charAt(at)));
      }
    }
    return result.toString();
  }

  String randomString(int length) {
    StringBuilder result = new StringBuilder(length);
    for (int i = 0; i < length; i++) result.append(randomChar());
    return result.toString();
  }

  char randomChar() {
    return random.nextInt(10) == 0
        ? (char) random.nextInt(0x10000)
        : ALPHABET.charAt(random.nextInt(ALPHABET.length()));
  }
}
