package dev.tracewire.instrumentation.envelope;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * A self-describing, versioned payload envelope: trace context fields and the application payload,
 * untouched, in one byte array, for transports without headers (MQTT 3.1.1, Redis Pub/Sub).
 *
 * <pre>{@code
 * byte[] wire = Envelope.wrap(Map.of("traceparent", traceparent), payload);
 * Envelope envelope = Envelope.unwrap(wire); // null when wire is not an envelope
 * byte[] original = envelope == null ? wire : envelope.payload();
 * }</pre>
 *
 * <p>Layout of version 1 (big-endian): the magic {@code 00 54 57 45} ({@code "\0TWE"}), the version
 * byte {@code 01}, the field count (one byte), per field the key length (one byte), the UTF-8 key,
 * the value length (two bytes) and the UTF-8 value, then the payload length (four bytes), the
 * payload, and a CRC-32 of everything before it (four bytes). A message is an envelope only when
 * every length adds up to its exact size and the checksum matches, so a foreign payload is taken
 * for one only if it is a well-formed envelope of this layout.
 */
public final class Envelope {
  /** The version this class writes and reads. */
  public static final int VERSION = 1;

  static final byte[] MAGIC = {0x00, 0x54, 0x57, 0x45};
  static final int MAX_FIELDS = 255;
  static final int MAX_KEY_BYTES = 255;
  static final int MAX_VALUE_BYTES = 0xFFFF;
  // magic, version, field count, payload length, checksum
  static final int OVERHEAD = MAGIC.length + 1 + 1 + 4 + 4;

  private static final Logger logger = Logger.getLogger(Envelope.class.getName());

  private final Map<String, String> fields;
  private final byte[] payload;

  private Envelope(Map<String, String> fields, byte[] payload) {
    this.fields = fields;
    this.payload = payload;
  }

  /**
   * Returns {@code payload} wrapped with {@code fields}. Fields that do not fit the layout (keys
   * over 255 UTF-8 bytes, values over 65535, more than 255 fields) are left out and logged, never
   * thrown: wrapping runs on every publish.
   */
  public static byte[] wrap(Map<String, String> fields, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    int count = 0;
    int size = OVERHEAD + payload.length;
    byte[][] encoded = new byte[fields.size() * 2][];
    for (Map.Entry<String, String> field : fields.entrySet()) {
      if (field.getKey() == null || field.getValue() == null) continue;
      byte[] key = field.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = field.getValue().getBytes(StandardCharsets.UTF_8);
      if (key.length > MAX_KEY_BYTES || value.length > MAX_VALUE_BYTES || count == MAX_FIELDS) {
        logger.log(Level.FINE, "envelope field {0} does not fit; left out", field.getKey());
        continue;
      }
      encoded[count * 2] = key;
      encoded[count * 2 + 1] = value;
      size += 1 + key.length + 2 + value.length;
      count++;
    }
    byte[] out = new byte[size];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    int i = MAGIC.length;
    out[i++] = VERSION;
    out[i++] = (byte) count;
    for (int f = 0; f < count; f++) {
      byte[] key = encoded[f * 2];
      byte[] value = encoded[f * 2 + 1];
      out[i++] = (byte) key.length;
      System.arraycopy(key, 0, out, i, key.length);
      i += key.length;
      out[i++] = (byte) (value.length >>> 8);
      out[i++] = (byte) value.length;
      System.arraycopy(value, 0, out, i, value.length);
      i += value.length;
    }
    i = writeInt(out, i, payload.length);
    System.arraycopy(payload, 0, out, i, payload.length);
    i += payload.length;
    CRC32 crc = new CRC32();
    crc.update(out, 0, i);
    writeInt(out, i, (int) crc.getValue());
    return out;
  }

  /**
   * Returns the envelope {@code message} holds, or {@code null} when it is not one (a foreign
   * payload, a damaged envelope or one of a version this class does not read). Never throws.
   */
  public static Envelope unwrap(byte[] message) {
    if (!isEnvelope(message)) return null;
    int i = MAGIC.length + 1;
    int count = message[i++] & 0xFF;
    Map<String, String> fields = new LinkedHashMap<>(count * 2);
    for (int f = 0; f < count; f++) {
      int keyLength = message[i++] & 0xFF;
      String key = new String(message, i, keyLength, StandardCharsets.UTF_8);
      i += keyLength;
      int valueLength = ((message[i] & 0xFF) << 8) | (message[i + 1] & 0xFF);
      i += 2;
      fields.put(key, new String(message, i, valueLength, StandardCharsets.UTF_8));
      i += valueLength;
    }
    int payloadLength = readInt(message, i);
    i += 4;
    byte[] payload = new byte[payloadLength];
    System.arraycopy(message, i, payload, 0, payloadLength);
    return new Envelope(Collections.unmodifiableMap(fields), payload);
  }

  /**
   * Whether {@code message} is an envelope this class reads: magic, version, lengths adding up to
   * its exact size, and a matching checksum. Never throws.
   */
  public static boolean isEnvelope(byte[] message) {
    if (message == null || message.length < OVERHEAD) return false;
    for (int m = 0; m < MAGIC.length; m++) {
      if (message[m] != MAGIC[m]) return false;
    }
    if (message[MAGIC.length] != VERSION) return false;
    int end = message.length - 4; // where the checksum starts
    int i = MAGIC.length + 1;
    int count = message[i++] & 0xFF;
    for (int f = 0; f < count; f++) {
      if (i + 1 > end) return false;
      i += 1 + (message[i] & 0xFF);
      if (i + 2 > end) return false;
      i += 2 + (((message[i] & 0xFF) << 8) | (message[i + 1] & 0xFF));
    }
    if (i + 4 > end) return false;
    long payloadLength = readInt(message, i) & 0xFFFFFFFFL;
    if (i + 4 + payloadLength != end) return false;
    CRC32 crc = new CRC32();
    crc.update(message, 0, end);
    return (int) crc.getValue() == readInt(message, end);
  }

  /** The fields the sender wrapped, in their order; keys are unique. */
  public Map<String, String> fields() {
    return fields;
  }

  /** The application payload, byte for byte as the sender gave it. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload's length, without copying it. */
  public int payloadLength() {
    return payload.length;
  }

  @Override
  public String toString() {
    return "Envelope{v" + VERSION + ", fields=" + fields + ", payload=" + payload.length + "B}";
  }

  private static int writeInt(byte[] out, int i, int value) {
    out[i] = (byte) (value >>> 24);
    out[i + 1] = (byte) (value >>> 16);
    out[i + 2] = (byte) (value >>> 8);
    out[i + 3] = (byte) value;
    return i + 4;
  }

  private static int readInt(byte[] in, int i) {
    return ((in[i] & 0xFF) << 24)
        | ((in[i + 1] & 0xFF) << 16)
        | ((in[i + 2] & 0xFF) << 8)
        | (in[i + 3] & 0xFF);
  }
}
