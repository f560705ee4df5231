package dev.tracewire.instrumentation.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.LongStringHelper;
import dev.tracewire.propagation.HopDiagnostics;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary header tables, as any AMQP client may send them, never make reading them throw and
 * never yield a half-valid context.
 */
class HeadersRandomizedTest {
  static final long SEED = 0x7ab1e5L;
  static final String[] NAMES = {
    "traceparent",
    "tracestate",
    "baggage",
    "b3",
    "X-B3-TraceId",
    "x-b3-spanid",
    "X-B3-Sampled",
    "uber-trace-id",
    "uberctx-tenant",
    "sentry-trace",
    "x-request-id",
    "x-death",
    "tracewire-origin",
    "Traceparent",
    "tenant"
  };
  static final String[] FRAGMENTS = {
    "00",
    "-",
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "00f067aa0ba902b7",
    "01",
    "ff",
    ":",
    "%3A",
    "0000000000000000",
    "k=v",
    ",",
    ";",
    "\u00e9",
    "",
    " ",
    "1",
    "d",
    "rejected",
    "x"
  };

  @Test
  void randomHeaderTables_neverThrow_neverHalfValid() {
    Random random = new Random(SEED);
    TracewirePropagator propagator = TracewirePropagator.create();
    int validParents = 0;
    int validOrigins = 0;
    for (int i = 0; i < 20_000; i++) {
      Map<String, Object> headers = randomTable(random, 0);
      String description = "seed " + SEED + " case " + i + ": " + headers;

      Context extracted = propagator.extract(Context.root(), headers, Headers.INSTANCE);
      SpanContext parent = Span.fromContext(extracted).getSpanContext();
      if (parent.isValid()) {
        validParents++;
        assertThat(parent.getTraceId()).as(description).matches("[0-9a-f]{32}");
        assertThat(parent.getSpanId()).as(description).matches("[0-9a-f]{16}");
      }
      assertThat(HopDiagnostics.fromContext(extracted)).as(description).isNotNull();
      Death.of(headers);
      SpanContext origin = OriginHeader.read(headers);
      if (origin.isValid()) {
        validOrigins++;
        Map<String, Object> written = new HashMap<>();
        OriginHeader.write(written, origin);
        assertThat(OriginHeader.read(written)).as(description).isEqualTo(origin);
      }
      for (String name : NAMES) Headers.INSTANCE.get(headers, name);
    }
    // the generator must reach the valid branches too, or they were never checked
    assertThat(validParents).as("cases with a valid parent").isGreaterThan(100);
    assertThat(validOrigins).as("cases with a valid origin").isGreaterThan(10);
  }

  static Map<String, Object> randomTable(Random random, int depth) {
    Map<String, Object> table = new HashMap<>();
    int size = random.nextInt(6);
    for (int i = 0; i < size; i++) {
      table.put(NAMES[random.nextInt(NAMES.length)], randomValue(random, depth));
    }
    return table;
  }

  static Object randomValue(Random random, int depth) {
    switch (random.nextInt(depth < 2 ? 8 : 6)) {
      case 0:
        return randomText(random);
      case 1:
        return LongStringHelper.asLongString(randomText(random));
      case 2:
        return randomText(random).getBytes(StandardCharsets.UTF_8);
      case 3:
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return bytes;
      case 4:
        return random.nextInt(3) == 0 ? null : random.nextLong();
      case 5:
        return random.nextBoolean();
      case 6:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) list.add(randomValue(random, depth + 1));
        return list;
      default:
        return randomTable(random, depth + 1);
    }
  }

  static final String[] VALID = {
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
    "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1",
    "4bf92f3577b34da6a3ce929d0e0e4736"
  };

  static String randomText(Random random) {
    if (random.nextInt(3) == 0) {
      // a well-formed value, sometimes with a character or two changed
      char[] value = VALID[random.nextInt(VALID.length)].toCharArray();
      for (int i = random.nextInt(3); i > 0; i--) {
        value[random.nextInt(value.length)] = "0aF-:x9 ".charAt(random.nextInt(8));
      }
      return new String(value);
    }
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
    }
    return text.toString();
  }
}
