package dev.tracewire.instrumentation.rabbitmq;

import java.util.concurrent.ThreadLocalRandom;

/** Random message ids for publishes that came without one: 32 lower-hex characters. */
final class MessageIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  // not UUID.randomUUID(): SecureRandom on every publish costs more than the rest of the span
  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[32];
    write(random.nextLong(), id, 0);
    write(random.nextLong(), id, 16);
    return new String(id);
  }

  private static void write(long value, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  private MessageIds() {}
}
