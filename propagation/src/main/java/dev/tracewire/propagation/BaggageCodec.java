package dev.tracewire.propagation;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.baggage.BaggageEntryMetadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * W3C Baggage ({@code baggage}, values percent-encoded UTF-8) and Jaeger's {@code uberctx-*}
 * headers, merged into one {@link Baggage}. Malformed members are skipped, never thrown on.
 */
final class BaggageCodec {
  static final String BAGGAGE = "baggage";

  /**
   * W3C Baggage's grammar allows at most 180 members and platforms must propagate at least 64 and
   * 8192 bytes; we keep up to the grammar's limit within 8192 bytes, dropping whole members only.
   */
  static final int MAX_MEMBERS = 180;

  static final int MAX_BYTES = 8192;

  static final String MALFORMED_MEMBER = "malformed baggage member skipped";
  static final String TOO_MANY_MEMBERS = "more than 180 baggage members: the rest dropped";
  static final String TOO_LONG = "baggage longer than 8192 bytes: the rest dropped";

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private static final FormatReading MALFORMED_MEMBER_READING =
      Formats.invalid(Format.BAGGAGE, MALFORMED_MEMBER);
  private static final FormatReading TOO_MANY_MEMBERS_READING =
      Formats.invalid(Format.BAGGAGE, TOO_MANY_MEMBERS);
  private static final FormatReading TOO_LONG_READING = Formats.invalid(Format.BAGGAGE, TOO_LONG);

  /** The shared invalid reading for one of this codec's reasons. */
  static FormatReading invalid(String reason) {
    switch (reason) {
      case MALFORMED_MEMBER:
        return MALFORMED_MEMBER_READING;
      case TOO_MANY_MEMBERS:
        return TOO_MANY_MEMBERS_READING;
      case TOO_LONG:
        return TOO_LONG_READING;
      default:
        return Formats.invalid(Format.BAGGAGE, reason);
    }
  }

  /** One request's baggage, read from every source; allocated only when baggage arrived. */
  static final class Reader {
    BaggageBuilder builder;
    int members;
    int bytes;

    /** The first problem met, or {@code null}. */
    String reason;

    boolean present;

    /**
     * Reads and merges every {@code baggage} header, in order; returns {@code reader}, or a new one
     * when baggage arrived and {@code reader} was {@code null}.
     */
    static <C> Reader readW3c(C carrier, TextMapGetter<C> getter, Reader reader) {
      try {
        Iterator<String> values = getter.getAll(carrier, BAGGAGE);
        if (values == null) return reader;
        while (values.hasNext()) {
          String value = values.next();
          if (value == null) continue;
          if (reader == null) reader = new Reader();
          reader.present = true;
          reader.parseInto(value);
        }
      } catch (RuntimeException e) {
        if (reader == null) reader = new Reader();
        reader.problem(TracewirePropagator.GETTER_THREW);
      }
      return reader;
    }

    void parseInto(String s) {
      int length = s.length();
      int begin = 0;
      while (begin <= length) {
        int comma = s.indexOf(',', begin);
        if (comma < 0) comma = length;
        int b = Formats.trimStart(s, begin, comma);
        int e = Formats.trimEnd(s, b, comma);
        begin = comma + 1;
        if (b == e) continue;
        member(s, b, e);
      }
    }

    private void member(String s, int b, int e) {
      int eq = s.indexOf('=', b);
      if (eq < 0 || eq >= e) {
        problem(MALFORMED_MEMBER);
        return;
      }
      int keyEnd = Formats.trimEnd(s, b, eq);
      if (!isToken(s, b, keyEnd)) {
        problem(MALFORMED_MEMBER);
        return;
      }
      int valueBegin = Formats.trimStart(s, eq + 1, e);
      int semicolon = s.indexOf(';', valueBegin);
      if (semicolon < 0 || semicolon > e) semicolon = e;
      int valueEnd = Formats.trimEnd(s, valueBegin, semicolon);
      if (!isBaggageValue(s, valueBegin, valueEnd)) {
        problem(MALFORMED_MEMBER);
        return;
      }
      if (members == MAX_MEMBERS) {
        problem(TOO_MANY_MEMBERS);
        return;
      }
      int size = e - b + (members == 0 ? 0 : 1); // + the comma
      if (bytes + size > MAX_BYTES) {
        problem(TOO_LONG);
        return;
      }
      members++;
      bytes += size;
      String metadata = "";
      if (semicolon < e) {
        int metadataBegin = Formats.trimStart(s, semicolon + 1, e);
        metadata = s.substring(metadataBegin, e);
      }
      builder()
          .put(
              s.substring(b, keyEnd),
              percentDecode(s, valueBegin, valueEnd, false),
              BaggageEntryMetadata.create(metadata));
    }

    /**
     * Adds {@code uberctx-*} entries whose key W3C baggage did not already set; returns {@code
     * reader}, or a new one when such headers arrived and {@code reader} was {@code null}.
     */
    // keys() is deprecated but is the only way to find uberctx-* names; getters that no longer
    // implement it return nothing, and then only uberctx-* baggage is lost
    @SuppressWarnings("deprecation")
    static <C> Reader readJaeger(C carrier, TextMapGetter<C> getter, Reader reader) {
      try {
        Iterable<String> keys = getter.keys(carrier);
        if (keys == null) return reader;
        Baggage w3c = null;
        for (String name : keys) {
          if (name == null
              || name.length() <= JaegerCodec.BAGGAGE_PREFIX.length()
              || !name.regionMatches(
                  true, 0, JaegerCodec.BAGGAGE_PREFIX, 0, JaegerCodec.BAGGAGE_PREFIX.length())) {
            continue;
          }
          String value = getter.get(carrier, name);
          if (value == null) continue;
          if (reader == null) reader = new Reader();
          reader.present = true;
          String key = name.substring(JaegerCodec.BAGGAGE_PREFIX.length());
          if (w3c == null) w3c = reader.builder == null ? Baggage.empty() : reader.builder.build();
          if (w3c.getEntryValue(key) != null) continue; // W3C baggage wins
          if (reader.members == MAX_MEMBERS) {
            reader.problem(TOO_MANY_MEMBERS);
            continue;
          }
          reader.members++;
          reader.builder().put(key, percentDecode(value, 0, value.length(), true));
        }
      } catch (RuntimeException e) {
        if (reader == null) reader = new Reader();
        reader.problem(TracewirePropagator.GETTER_THREW);
      }
      return reader;
    }

    private BaggageBuilder builder() {
      BaggageBuilder result = builder;
      if (result == null) builder = result = Baggage.builder();
      return result;
    }

    private void problem(String why) {
      if (reason == null) reason = why;
    }

    /** The merged baggage, or {@code null} when none arrived. */
    Baggage baggage() {
      return builder == null ? null : builder.build();
    }
  }

  /** RFC 7230 token: what a baggage key may be. */
  static boolean isToken(CharSequence s, int b, int e) {
    if (b >= e) return false;
    for (int i = b; i < e; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '!'
              || c == '#'
              || c == '$'
              || c == '%'
              || c == '&'
              || c == '\''
              || c == '*'
              || c == '+'
              || c == '-'
              || c == '.'
              || c == '^'
              || c == '_'
              || c == '`'
              || c == '|'
              || c == '~';
      if (!ok) return false;
    }
    return true;
  }

  /** baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E; an empty value is allowed. */
  static boolean isBaggageOctet(char c) {
    return c == 0x21
        || (c >= 0x23 && c <= 0x2b)
        || (c >= 0x2d && c <= 0x3a)
        || (c >= 0x3c && c <= 0x5b)
        || (c >= 0x5d && c <= 0x7e);
  }

  private static boolean isBaggageValue(CharSequence s, int b, int e) {
    for (int i = b; i < e; i++) {
      if (!isBaggageOctet(s.charAt(i))) return false;
    }
    return true;
  }

  /**
   * Decodes %XX sequences as UTF-8; invalid UTF-8 becomes U+FFFD as W3C Baggage says, and a '%' not
   * followed by two hex digits is kept literally.
   */
  static String percentDecode(String s, int b, int e, boolean plusIsSpace) {
    int i = b;
    while (i < e) {
      char c = s.charAt(i);
      if (c == '%' || (plusIsSpace && c == '+')) break;
      i++;
    }
    if (i == e) return b == 0 && e == s.length() ? s : s.substring(b, e);
    StringBuilder out = new StringBuilder(e - b);
    out.append(s, b, i);
    byte[] bytes = new byte[(e - i) / 3 + 1];
    int n = 0;
    while (i < e) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < e) {
        long octet = Hex.upTo8(s, i + 1, i + 3, Hex.ANY_CASE);
        if (octet >= 0) {
          bytes[n++] = (byte) octet;
          i += 3;
          continue;
        }
      }
      if (n > 0) {
        out.append(new String(bytes, 0, n, StandardCharsets.UTF_8));
        n = 0;
      }
      out.append(plusIsSpace && c == '+' ? ' ' : c);
      i++;
    }
    if (n > 0) out.append(new String(bytes, 0, n, StandardCharsets.UTF_8));
    return out.toString();
  }

  /** Percent-encodes as UTF-8 every character that is not a baggage-octet, and '%' itself. */
  static String percentEncode(String value) {
    int length = value.length();
    int i = 0;
    while (i < length) {
      char c = value.charAt(i);
      if (!isBaggageOctet(c) || c == '%') break;
      i++;
    }
    if (i == length) return value;
    StringBuilder out = new StringBuilder(length + 16);
    out.append(value, 0, i);
    byte[] rest = value.substring(i).getBytes(StandardCharsets.UTF_8);
    for (byte octet : rest) {
      char c = (char) (octet & 0xff);
      if (c < 0x80 && isBaggageOctet(c) && c != '%') {
        out.append(c);
      } else {
        out.append('%').append(HEX_UPPER[(c >> 4) & 0xf]).append(HEX_UPPER[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * Encodes {@code baggage} as a W3C baggage header value, or returns {@code null} when no entry
   * can be written. Entries with a key that is not a token, or past the member and size limits, are
   * left out whole.
   */
  static String encode(Baggage baggage) {
    if (baggage.isEmpty()) return null;
    Encoder encoder = new Encoder();
    baggage.forEach(encoder);
    return encoder.out.length() == 0 ? null : encoder.out.toString();
  }

  private static final class Encoder implements BiConsumer<String, BaggageEntry> {
    final StringBuilder out = new StringBuilder(64);
    int members;

    @Override
    public void accept(String key, BaggageEntry entry) {
      if (members == MAX_MEMBERS || key == null || !isToken(key, 0, key.length())) return;
      String value = entry.getValue() == null ? "" : percentEncode(entry.getValue());
      String metadata = entry.getMetadata() == null ? "" : entry.getMetadata().getValue();
      // metadata set through the API could break the list; drop it rather than the entry
      if (metadata.indexOf(',') >= 0) metadata = "";
      int size =
          (out.length() == 0 ? 0 : 1)
              + key.length()
              + 1
              + value.length()
              + (metadata.isEmpty() ? 0 : metadata.length() + 1);
      if (out.length() + size > MAX_BYTES) return;
      if (out.length() > 0) out.append(',');
      out.append(key).append('=').append(value);
      if (!metadata.isEmpty()) out.append(';').append(metadata);
      members++;
    }
  }

  private BaggageCodec() {}
}
