package dev.tracewire.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The universal propagator ({@code otel.propagators=tracewire}): reads every format present with a
 * fixed precedence, never lets a later format overwrite an earlier one, merges baggage, records
 * {@link HopDiagnostics} and injects the formats the fleet speaks.
 *
 * <pre>{@code
 * TextMapPropagator propagator = TracewirePropagator.create();
 * Context extracted = propagator.extract(Context.current(), request, getter);
 * }</pre>
 *
 * <p>Injecting the context extract returned (which holds only the remote span, {@code
 * Span.wrap(remoteParent)}) writes the same ids downstream; that is how a tool shows what a service
 * would forward.
 */
public final class TracewirePropagator implements TextMapPropagator {
  private static final Logger logger = Logger.getLogger(TracewirePropagator.class.getName());

  static final String GETTER_THREW = "the carrier's getter threw; format ignored";
  static final String EMPTY_REQUEST_ID = "empty x-request-id";

  // baggage and request id carry no span context: their readings are shared constants
  private static final FormatReading BAGGAGE_VALID =
      Formats.valid(Format.BAGGAGE, SpanContext.getInvalid(), null, false);
  private static final FormatReading REQUEST_ID_VALID =
      Formats.valid(Format.REQUEST_ID, SpanContext.getInvalid(), null, false);
  private static final FormatReading REQUEST_ID_EMPTY =
      Formats.invalid(Format.REQUEST_ID, EMPTY_REQUEST_ID);
  static final String REQUEST_ID = "x-request-id";

  /** Where {@code Format.REQUEST_ID.propagator()}, which keeps no diagnostics, keeps the id. */
  static final ContextKey<String> REQUEST_ID_KEY = ContextKey.named("tracewire-x-request-id");

  private static final Format[] DEFAULT_PRECEDENCE = {
    Format.TRACECONTEXT, Format.B3, Format.B3_MULTI, Format.JAEGER, Format.SENTRY
  };
  private static final int DEFAULT_INJECT =
      Formats.mask(Format.TRACECONTEXT, Format.BAGGAGE, Format.REQUEST_ID);

  /** Per set of formats, its codecs in declaration order: inject iterates without allocating. */
  private static final TraceCodec[][] CODECS_BY_MASK = new TraceCodec[Formats.ALL + 1][];

  static {
    for (int mask = 0; mask <= Formats.ALL; mask++) {
      List<TraceCodec> codecs = new ArrayList<>();
      for (Format f : Formats.formats(mask & Formats.TRACE_FORMATS)) codecs.add(TraceCodec.of(f));
      CODECS_BY_MASK[mask] = codecs.toArray(new TraceCodec[0]);
    }
  }

  private final Format[] precedence;
  private final TraceCodec[] codecs;
  private final boolean readBaggage;
  private final boolean readJaegerBaggage;
  private final boolean readRequestId;
  private final int inject;
  private final boolean injectInbound;
  private final boolean trustBoundary;

  /** False for the single-format propagators, which compose with others. */
  private final boolean diagnostics;

  /** Whether to learn from keys() which formats to look up: worth it beyond two lookups. */
  private final boolean listKeys;

  private final List<String> fields;

  TracewirePropagator(
      Format[] precedence,
      boolean readBaggage,
      boolean readRequestId,
      int inject,
      boolean injectInbound,
      boolean trustBoundary,
      boolean diagnostics) {
    this.precedence = precedence;
    this.diagnostics = diagnostics;
    this.codecs = new TraceCodec[precedence.length];
    for (int i = 0; i < precedence.length; i++) codecs[i] = TraceCodec.of(precedence[i]);
    this.readBaggage = readBaggage;
    this.readJaegerBaggage = Arrays.asList(precedence).contains(Format.JAEGER);
    this.readRequestId = readRequestId;
    this.inject = inject;
    this.injectInbound = injectInbound;
    this.trustBoundary = trustBoundary;
    this.fields = fields(injectInbound ? inject | Formats.TRACE_FORMATS : inject);
    this.listKeys = precedence.length + (readBaggage ? 1 : 0) + (readRequestId ? 1 : 0) > 2;
  }

  private static List<String> fields(int mask) {
    List<String> result = new ArrayList<>();
    for (Format f : Formats.formats(mask)) {
      switch (f) {
        case BAGGAGE:
          result.add(BaggageCodec.BAGGAGE);
          break;
        case REQUEST_ID:
          result.add(REQUEST_ID);
          break;
        default:
          result.addAll(TraceCodec.of(f).fields());
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** Returns a propagator with the documented defaults. */
  public static TracewirePropagator create() {
    return newBuilder().build();
  }

  /** Returns a builder starting from the documented defaults. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /**
   * Extracts from {@code carrier} and returns what was seen; the same as {@code
   * HopDiagnostics.fromContext(extract(Context.root(), carrier, getter))}.
   */
  public <C> HopDiagnostics inspect(C carrier, TextMapGetter<C> getter) {
    return HopDiagnostics.fromContext(extract(Context.root(), carrier, getter));
  }

  /** The trace formats tried on extract, first to last. */
  public List<Format> precedence() {
    return Collections.unmodifiableList(Arrays.asList(precedence));
  }

  @Override
  public Collection<String> fields() {
    return fields;
  }

  /**
   * Writes the configured formats plus, when {@code injectInbound}, every trace format that arrived
   * on this trace's inbound request (from the {@link HopDiagnostics} in {@code context}). Records
   * {@link HopAttributes#INJECTED} on the context's span when it is recording.
   */
  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) return;
    HopDiagnostics inbound = context.get(HopDiagnostics.KEY);
    int formats = inject;
    if (injectInbound && inbound != null) {
      formats |= inbound.receivedMask() & Formats.TRACE_FORMATS;
    }
    Span span = Span.fromContext(context);
    SpanContext spanContext = span.getSpanContext();
    int written = 0;
    try {
      if (spanContext.isValid()) {
        // declaration order, so the INJECTED list and header order are stable
        for (TraceCodec codec : CODECS_BY_MASK[formats & Formats.TRACE_FORMATS]) {
          codec.write(context, spanContext, carrier, setter);
          written |= Formats.bit(codec.format);
        }
      }
      if ((formats & Formats.bit(Format.BAGGAGE)) != 0) {
        String baggage = BaggageCodec.encode(Baggage.fromContext(context));
        if (baggage != null) {
          setter.set(carrier, BaggageCodec.BAGGAGE, baggage);
          written |= Formats.bit(Format.BAGGAGE);
        }
      }
      if ((formats & Formats.bit(Format.REQUEST_ID)) != 0) {
        String requestId = inbound != null ? inbound.requestId() : context.get(REQUEST_ID_KEY);
        if (requestId != null) {
          setter.set(carrier, REQUEST_ID, requestId);
          written |= Formats.bit(Format.REQUEST_ID);
        }
      }
    } catch (RuntimeException e) {
      // a broken setter must not fail the caller's request
      logger.log(Level.FINE, "setter threw while injecting trace headers", e);
    }
    if (diagnostics && span.isRecording()) {
      span.setAttribute(HopAttributes.INJECTED, Formats.ids(written));
    }
  }

  /**
   * Reads every format present; the first valid one in precedence order becomes the parent (unless
   * a trust boundary refuses it). Always stores {@link HopDiagnostics} in the returned context.
   */
  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) context = Context.root();
    if (getter == null) return withEmptyDiagnostics(context);
    int listed = listKeys ? HeaderNames.listed(carrier, getter) : HeaderNames.UNKNOWN;
    return extract(context, carrier, getter, listed);
  }

  /**
   * Reads the formats in {@code listed} (from {@link HeaderNames#listed}), or every format when it
   * is {@link HeaderNames#UNKNOWN}. When a listed header turns out absent, keys() and get()
   * disagree on names, so this request is read again probing every format.
   */
  private <C> Context extract(Context context, C carrier, TextMapGetter<C> getter, int listed) {
    boolean probeAll = listed == HeaderNames.UNKNOWN;
    FormatReading first = null; // and found == null until a second reading arrives
    FormatReading[] found = null;
    int count = 0;
    int received = 0;
    int invalid = 0;
    FormatReading used = null;
    for (TraceCodec codec : codecs) {
      int bit = Formats.bit(codec.format);
      if (!probeAll && (listed & bit) == 0) continue;
      FormatReading reading;
      try {
        reading = codec.read(carrier, getter, listed);
      } catch (RuntimeException e) {
        reading = Formats.invalid(codec.format, GETTER_THREW);
      }
      if (reading == null) {
        if (probeAll) continue;
        return extract(context, carrier, getter, HeaderNames.UNKNOWN);
      }
      if (count == 0) first = reading;
      found = add(found, first, count++, reading, listed);
      received |= bit;
      if (!reading.valid()) {
        invalid |= bit;
      } else if (used == null && reading.spanContext().isValid()) {
        used = reading;
      }
    }

    Baggage baggage = null;
    BaggageCodec.Reader reader = null;
    int baggageBit = Formats.bit(Format.BAGGAGE);
    if (readBaggage && (probeAll || (listed & baggageBit) != 0)) {
      reader = BaggageCodec.Reader.readW3c(carrier, getter, null);
      if (reader == null && !probeAll) {
        return extract(context, carrier, getter, HeaderNames.UNKNOWN);
      }
    }
    // uberctx-* needs a scan of every header name: only when uber-trace-id came, as Jaeger sends it
    if (readJaegerBaggage && (received & Formats.bit(Format.JAEGER)) != 0) {
      reader = BaggageCodec.Reader.readJaeger(carrier, getter, reader);
    }
    if (reader != null) {
      FormatReading reading =
          reader.reason == null ? BAGGAGE_VALID : BaggageCodec.invalid(reader.reason);
      if (count == 0) first = reading;
      found = add(found, first, count++, reading, listed);
      received |= baggageBit;
      if (reader.reason != null) invalid |= baggageBit;
      baggage = reader.baggage();
    }

    String requestId = null;
    int requestIdBit = Formats.bit(Format.REQUEST_ID);
    if (readRequestId && (probeAll || (listed & requestIdBit) != 0)) {
      String value;
      try {
        value = getter.get(carrier, REQUEST_ID);
      } catch (RuntimeException e) {
        value = null;
      }
      if (value != null) {
        received |= requestIdBit;
        FormatReading reading;
        if (value.isEmpty()) {
          reading = REQUEST_ID_EMPTY;
          invalid |= requestIdBit;
        } else {
          reading = REQUEST_ID_VALID;
          requestId = value;
        }
        if (count == 0) first = reading;
        found = add(found, first, count++, reading, listed);
      } else if (!probeAll) {
        return extract(context, carrier, getter, HeaderNames.UNKNOWN);
      }
    }

    if (count == 0) return withEmptyDiagnostics(context);

    SpanContext remoteParent = used == null ? SpanContext.getInvalid() : used.spanContext();
    Context result = context;
    if (diagnostics) {
      result =
          result.with(
              HopDiagnostics.KEY,
              new HopDiagnostics(
                  first,
                  found,
                  count,
                  received,
                  invalid,
                  used == null || count == 1 ? 0 : conflicts(found, count, used),
                  used == null ? null : used.format(),
                  remoteParent,
                  trustBoundary && used != null,
                  requestId,
                  baggage));
    } else if (requestId != null) {
      result = result.with(REQUEST_ID_KEY, requestId);
    }
    if (trustBoundary) return result;
    if (used != null) result = result.with(Span.wrap(remoteParent));
    if (baggage != null) result = result.with(baggage);
    return result;
  }

  /**
   * Adds the {@code index}th reading; returns {@code found}, which stays null while there is only
   * {@code first}.
   */
  private FormatReading[] add(
      FormatReading[] found, FormatReading first, int index, FormatReading reading, int listed) {
    if (index == 0) return null;
    if (found == null) {
      found = new FormatReading[slots(listed)];
      found[0] = first;
    }
    found[index] = reading;
    return found;
  }

  /** At most one reading per listed format, plus baggage that uberctx-* alone may bring. */
  private int slots(int listed) {
    if (listed == HeaderNames.UNKNOWN) return codecs.length + 2;
    int uberctx = (listed & Formats.bit(Format.JAEGER)) != 0 ? 1 : 0;
    return Integer.bitCount(listed & Formats.ALL) + uberctx;
  }

  private Context withEmptyDiagnostics(Context context) {
    return diagnostics ? context.with(HopDiagnostics.KEY, HopDiagnostics.EMPTY) : context;
  }

  /** Valid formats whose trace or parent id differs from the used one's. */
  private static int conflicts(FormatReading[] found, int count, FormatReading used) {
    SpanContext parent = used.spanContext();
    int result = 0;
    for (int i = 0; i < count; i++) {
      FormatReading other = found[i];
      if (other == used || !other.valid()) continue;
      SpanContext sc = other.spanContext();
      if (!sc.isValid()) continue;
      if (!sameTrace(parent.getTraceId(), sc.getTraceId())
          || !parent.getSpanId().equals(sc.getSpanId())) {
        result |= Formats.bit(other.format());
      }
    }
    return result;
  }

  /** A 64-bit id (B3, Jaeger) agrees with a 128-bit one when it equals its low 64 bits. */
  static boolean sameTrace(String a, String b) {
    if (a.equals(b)) return true;
    return (Hex.is64Bit(a) || Hex.is64Bit(b)) && Hex.sameLow64(a, b);
  }

  @Override
  public String toString() {
    return "TracewirePropagator{precedence="
        + Arrays.toString(precedence)
        + ", inject="
        + Formats.formats(inject)
        + ", injectInbound="
        + injectInbound
        + ", trustBoundary="
        + trustBoundary
        + "}";
  }

  /** Configures a {@link TracewirePropagator}. */
  public static final class Builder {
    private Format[] precedence = DEFAULT_PRECEDENCE;
    private int inject = DEFAULT_INJECT;
    private boolean injectInbound = true;
    private boolean trustBoundary;

    Builder() {}

    /**
     * Sets the order in which trace formats are tried on extract; the first valid one becomes the
     * parent. Default: {@code TRACECONTEXT, B3, B3_MULTI, JAEGER, SENTRY}. Formats left out are not
     * read. Baggage and request id are always read, so they may not appear here.
     *
     * @throws IllegalArgumentException on {@code BAGGAGE}, {@code REQUEST_ID}, a duplicate or null
     */
    public Builder precedence(Format... formats) {
      if (formats == null) throw new NullPointerException("formats == null");
      int seen = 0;
      for (Format f : formats) {
        if (f == null) throw new NullPointerException("precedence: null format");
        if ((Formats.bit(f) & Formats.TRACE_FORMATS) == 0) {
          throw new IllegalArgumentException(
              "precedence: "
                  + f.id()
                  + " (expected: a trace format: tracecontext, b3, b3multi, jaeger, sentry)");
        }
        if ((seen & Formats.bit(f)) != 0) {
          throw new IllegalArgumentException("precedence: " + f.id() + " listed twice");
        }
        seen |= Formats.bit(f);
      }
      this.precedence = formats.clone();
      return this;
    }

    /** Sets the formats always injected. Default: {@code TRACECONTEXT, BAGGAGE, REQUEST_ID}. */
    public Builder inject(Format... formats) {
      if (formats == null) throw new NullPointerException("formats == null");
      for (Format f : formats) {
        if (f == null) throw new NullPointerException("inject: null format");
      }
      this.inject = Formats.mask(formats);
      return this;
    }

    /**
     * Whether to also inject every format that arrived on this trace's inbound request, so a
     * service answers in its fleet's dialect. Default: {@code true}.
     */
    public Builder injectInbound(boolean injectInbound) {
      this.injectInbound = injectInbound;
      return this;
    }

    /**
     * Whether to refuse external context: extract then starts a new trace whose entry span links to
     * the external one. Default: {@code false}.
     */
    public Builder trustBoundary(boolean trustBoundary) {
      this.trustBoundary = trustBoundary;
      return this;
    }

    /** Returns the configured propagator. */
    public TracewirePropagator build() {
      return new TracewirePropagator(
          precedence, true, true, inject, injectInbound, trustBoundary, true);
    }
  }
}
