package dev.tracewire.propagation;

import static dev.tracewire.propagation.TestObjects.B3;
import static dev.tracewire.propagation.TestObjects.REQUEST_ID;
import static dev.tracewire.propagation.TestObjects.SENTRY_TRACE;
import static dev.tracewire.propagation.TestObjects.SPAN_ID;
import static dev.tracewire.propagation.TestObjects.TRACEPARENT;
import static dev.tracewire.propagation.TestObjects.TRACESTATE;
import static dev.tracewire.propagation.TestObjects.TRACE_ID;
import static dev.tracewire.propagation.TestObjects.UBER_TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Extract looks up only the headers keys() lists, and only when keys() can be trusted. */
class HeaderNamesTest {
  final TracewirePropagator propagator = TracewirePropagator.create();

  @Test
  void classify_everyHeaderName_caseInsensitive() {
    assertThat(HeaderNames.classify("TraceParent")).isEqualTo(Formats.bit(Format.TRACECONTEXT));
    assertThat(HeaderNames.classify("TRACESTATE")).isEqualTo(HeaderNames.TRACESTATE);
    assertThat(HeaderNames.classify("B3")).isEqualTo(Formats.bit(Format.B3));
    assertThat(HeaderNames.classify("x-b3-traceid")).isEqualTo(Formats.bit(Format.B3_MULTI));
    assertThat(HeaderNames.classify("x-b3-sampled")).isEqualTo(Formats.bit(Format.B3_MULTI));
    assertThat(HeaderNames.classify("x-b3-flags")).isEqualTo(Formats.bit(Format.B3_MULTI));
    assertThat(HeaderNames.classify("Uber-Trace-Id")).isEqualTo(Formats.bit(Format.JAEGER));
    assertThat(HeaderNames.classify("Sentry-Trace")).isEqualTo(Formats.bit(Format.SENTRY));
    assertThat(HeaderNames.classify("Baggage")).isEqualTo(Formats.bit(Format.BAGGAGE));
    assertThat(HeaderNames.classify("X-Request-Id")).isEqualTo(Formats.bit(Format.REQUEST_ID));
  }

  @Test
  void classify_foreignOrUnreadNames_areNothing() {
    assertThat(HeaderNames.classify("Host")).isZero();
    assertThat(HeaderNames.classify("traceparenT2")).isZero();
    assertThat(HeaderNames.classify("b4")).isZero();
    // a lone X-B3-SpanId is not read; uberctx-* is found by its own scan once uber-trace-id came
    assertThat(HeaderNames.classify("X-B3-SpanId")).isZero();
    assertThat(HeaderNames.classify("X-B3-ParentSpanId")).isZero();
    assertThat(HeaderNames.classify("uberctx-user")).isZero();
  }

  @Test
  void classify_nameWithUnderscore_isUnknown() {
    assertThat(HeaderNames.classify("X__dash__B3__dash__TraceId")).isEqualTo(HeaderNames.UNKNOWN);
    assertThat(HeaderNames.classify("uber_trace_id")).isEqualTo(HeaderNames.UNKNOWN);
  }

  @Test
  void listed_emptyOrNullKeys_isUnknown() {
    assertThat(HeaderNames.listed(new Headers(), Headers.GETTER)).isEqualTo(HeaderNames.UNKNOWN);
    assertThat(HeaderNames.listed(Headers.of("traceparent", TRACEPARENT), NO_KEYS))
        .isEqualTo(HeaderNames.UNKNOWN);
  }

  @Test
  void extract_traceparentOnly_looksUpOnlyTraceparent() {
    CountingGetter getter = new CountingGetter(Headers.GETTER);
    Headers headers = Headers.of("Host", "example.com", "traceparent", TRACEPARENT);

    HopDiagnostics diagnostics = propagator.inspect(headers, getter);

    assertThat(diagnostics.used()).isEqualTo(Format.TRACECONTEXT);
    assertThat(getter.lookedUp).containsExactly("traceparent");
  }

  @Test
  void extract_withoutKeys_probesEveryFormat() {
    CountingGetter getter = new CountingGetter(NO_KEYS);

    HopDiagnostics diagnostics = propagator.inspect(Headers.of("traceparent", TRACEPARENT), getter);

    assertThat(diagnostics.used()).isEqualTo(Format.TRACECONTEXT);
    assertThat(getter.lookedUp)
        .contains("tracestate", "b3", "X-B3-TraceId", "uber-trace-id", "sentry-trace")
        .contains("baggage", "x-request-id");
  }

  /** OpenTelemetry's JMS getter lists property names with '-' spelled __dash__. */
  @Test
  void extract_jmsRespelledNames_stillReadsEveryFormat() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("traceparent", TRACEPARENT);
    properties.put("X__dash__B3__dash__TraceId", TRACE_ID);
    properties.put("X__dash__B3__dash__SpanId", SPAN_ID);
    properties.put("uber__dash__trace__dash__id", UBER_TRACE_ID);
    properties.put("sentry__dash__trace", SENTRY_TRACE);
    properties.put("x__dash__request__dash__id", REQUEST_ID);
    TextMapGetter<Map<String, String>> jms =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier.get(key.replace("-", "__dash__"));
          }
        };

    HopDiagnostics diagnostics = propagator.inspect(properties, jms);

    assertThat(diagnostics.received())
        .containsExactly(
            Format.TRACECONTEXT, Format.B3_MULTI, Format.JAEGER, Format.SENTRY, Format.REQUEST_ID);
    assertThat(diagnostics.conflicts()).isEmpty();
  }

  @Test
  void extract_keysListingAnAbsentHeader_probesEveryFormat() {
    // keys() names a header get() does not answer for, so its silence about b3 proves nothing
    TextMapGetter<Headers> stale =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Headers carrier) {
            return List.of("traceparent");
          }

          @Override
          public String get(Headers carrier, String key) {
            return Headers.GETTER.get(carrier, key);
          }
        };

    HopDiagnostics diagnostics = propagator.inspect(Headers.of("b3", B3), stale);

    assertThat(diagnostics.used()).isEqualTo(Format.B3);
    assertThat(diagnostics.received()).containsExactly(Format.B3);
  }

  @Test
  void extract_listedNames_sameAnswerAsProbingEveryFormat() {
    RandomizedExtractTest generator = new RandomizedExtractTest();
    Random random = new Random(RandomizedExtractTest.SEED);
    int pruned = 0;
    for (int i = 0; i < 10_000; i++) {
      Headers headers = new Headers();
      for (String[] header : generator.randomHeaders().headers) {
        String name = random.nextBoolean() ? header[0] : header[0].toUpperCase(Locale.ROOT);
        headers.add(name, header[1]);
      }
      headers.add("Host", "example.com");
      if (HeaderNames.listed(headers, Headers.GETTER) != HeaderNames.UNKNOWN) pruned++;

      HopDiagnostics listed = propagator.inspect(headers, Headers.GETTER);
      HopDiagnostics probed = propagator.inspect(headers, PROBE_EVERY_FORMAT);

      String input = headers.toString();
      assertThat(listed.readings()).as(input).isEqualTo(probed.readings());
      assertThat(listed.received()).as(input).isEqualTo(probed.received());
      assertThat(listed.invalid()).as(input).isEqualTo(probed.invalid());
      assertThat(listed.used()).as(input).isEqualTo(probed.used());
      assertThat(listed.conflicts()).as(input).isEqualTo(probed.conflicts());
      assertThat(listed.remoteParent()).as(input).isEqualTo(probed.remoteParent());
      assertThat(listed.requestId()).as(input).isEqualTo(probed.requestId());
      assertThat(listed.baggage()).as(input).isEqualTo(probed.baggage());
    }
    assertThat(pruned).isEqualTo(10_000);
  }

  @Test
  void extract_tracestateListed_isLookedUpAndKept() {
    CountingGetter getter = new CountingGetter(Headers.GETTER);
    Headers headers = Headers.of("traceparent", TRACEPARENT, "tracestate", TRACESTATE);

    HopDiagnostics diagnostics = propagator.inspect(headers, getter);

    assertThat(getter.lookedUp).containsExactly("traceparent", "tracestate");
    assertThat(diagnostics.remoteParent().getTraceState().get("rojo")).isEqualTo(SPAN_ID);
  }

  static final TextMapGetter<Headers> NO_KEYS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          return List.of();
        }

        @Override
        public String get(Headers carrier, String key) {
          return Headers.GETTER.get(carrier, key);
        }

        @Override
        public Iterator<String> getAll(Headers carrier, String key) {
          return Headers.GETTER.getAll(carrier, key);
        }
      };

  /** Lists every name plus one with '_', so extract cannot trust keys() and probes everything. */
  static final TextMapGetter<Headers> PROBE_EVERY_FORMAT =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          List<String> names = new ArrayList<>();
          Headers.GETTER.keys(carrier).forEach(names::add);
          names.add("x_forces_probing");
          return names;
        }

        @Override
        public String get(Headers carrier, String key) {
          return Headers.GETTER.get(carrier, key);
        }

        @Override
        public Iterator<String> getAll(Headers carrier, String key) {
          return Headers.GETTER.getAll(carrier, key);
        }
      };

  /** Records the names looked up with get() or getAll(). */
  static final class CountingGetter implements TextMapGetter<Headers> {
    final TextMapGetter<Headers> delegate;
    final List<String> lookedUp = new ArrayList<>();

    CountingGetter(TextMapGetter<Headers> delegate) {
      this.delegate = delegate;
    }

    @Override
    public Iterable<String> keys(Headers carrier) {
      return delegate.keys(carrier);
    }

    @Override
    public String get(Headers carrier, String key) {
      lookedUp.add(key);
      return delegate.get(carrier, key);
    }

    @Override
    public Iterator<String> getAll(Headers carrier, String key) {
      lookedUp.add(key);
      return delegate.getAll(carrier, key);
    }
  }
}
