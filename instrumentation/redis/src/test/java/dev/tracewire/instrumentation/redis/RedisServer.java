package dev.tracewire.instrumentation.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.UUID;

/** The machine's Redis at 127.0.0.1:6379. */
final class RedisServer {
  static final String HOST = "127.0.0.1";
  static final int PORT = 6379;
  static final String START =
      "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no"
          + " --dir /var/lib/redis --logfile /var/log/redis/ci.log";

  /** Strings for channel names, bytes for Pub/Sub payloads (envelopes are binary). */
  static final RedisCodec<String, byte[]> STRING_BYTES =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  static RedisClient client() {
    return client(PORT);
  }

  static RedisClient client(int port) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost(HOST)
                .withPort(port)
                .withTimeout(Duration.ofSeconds(3))
                .build());
    try {
      client.connect().close();
    } catch (RuntimeException e) {
      client.shutdown();
      throw new AssertionError(
          "Redis not reachable at "
              + HOST
              + ":"
              + port
              + " — start it with: "
              + START
              + " ("
              + e
              + ")",
          e);
    }
    return client;
  }

  static String key(String prefix) {
    return "tracewire:" + prefix + ":" + UUID.randomUUID();
  }

  private RedisServer() {}
}
