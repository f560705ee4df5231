package dev.tracewire.server.app;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link TracewireServer}: listen address, ports (0 picks a free one), bearer
 * token, limits and retention.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.newBuilder().otlpHttpPort(0).queryPort(0).build();
 * }</pre>
 */
public final class ServerConfig {
  /** The OTLP/HTTP and Zipkin body limit unless configured: 16 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final String listen;
  private final String token;
  private final int otlpGrpcPort;
  private final int otlpHttpPort;
  private final int zipkinPort;
  private final int queryPort;
  private final int queueCapacity;
  private final int maxBodyBytes;
  private final long maxInFlightBytes;
  private final Duration retention;
  private final long maxDiskBytes;
  private final Duration retentionInterval;
  private final Duration settle;
  private final Duration messagingSettle;
  private final Duration analysisInterval;
  private final long maxOpenSpans;

  private ServerConfig(Builder b) {
    listen = b.listen;
    token = b.token;
    otlpGrpcPort = b.otlpGrpcPort;
    otlpHttpPort = b.otlpHttpPort;
    zipkinPort = b.zipkinPort;
    queryPort = b.queryPort;
    queueCapacity = b.queueCapacity;
    maxBodyBytes = b.maxBodyBytes;
    maxInFlightBytes = b.maxInFlightBytes;
    retention = b.retention;
    maxDiskBytes = b.maxDiskBytes;
    retentionInterval = b.retentionInterval;
    settle = b.settle;
    messagingSettle = b.messagingSettle;
    analysisInterval = b.analysisInterval;
    maxOpenSpans = b.maxOpenSpans;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** The address every port binds to; loopback unless set. */
  public String listen() {
    return listen;
  }

  /** The bearer token guarding ingest and query, or {@code null} for none. */
  public String token() {
    return token;
  }

  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  public int zipkinPort() {
    return zipkinPort;
  }

  public int queryPort() {
    return queryPort;
  }

  /** Spans the ingest queue holds before answering 429 / RESOURCE_EXHAUSTED. */
  public int queueCapacity() {
    return queueCapacity;
  }

  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Bytes of ingest request bodies held at once across all ingest ports (by Content-Length, or
   * {@link #maxBodyBytes()} when absent); past it requests get 429 / RESOURCE_EXHAUSTED.
   */
  public long maxInFlightBytes() {
    return maxInFlightBytes;
  }

  /** Spans older than this are deleted; {@code null} keeps them forever. */
  public Duration retention() {
    return retention;
  }

  /** The disk budget in bytes, oldest spans deleted past it; 0 for none. */
  public long maxDiskBytes() {
    return maxDiskBytes;
  }

  public Duration retentionInterval() {
    return retentionInterval;
  }

  /** Quiet time after which a trace of HTTP/gRPC hops is analysed. */
  public Duration settle() {
    return settle;
  }

  /** Quiet time after which a trace with messaging hops is analysed. */
  public Duration messagingSettle() {
    return messagingSettle;
  }

  /** How often settled traces are looked for. */
  public Duration analysisInterval() {
    return analysisInterval;
  }

  /** Spans held in traces waiting to settle before the quietest traces are analysed early. */
  public long maxOpenSpans() {
    return maxOpenSpans;
  }

  /** Builds a {@link ServerConfig}; not thread-safe. */
  public static final class Builder {
    private String listen = "127.0.0.1";
    private String token;
    private int otlpGrpcPort = 4317;
    private int otlpHttpPort = 4318;
    private int zipkinPort = 9411;
    private int queryPort = 16686;
    private int queueCapacity = 200_000;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private long maxInFlightBytes = 256L << 20;
    private Duration retention = Duration.ofDays(7);
    private long maxDiskBytes;
    private Duration retentionInterval = Duration.ofMinutes(1);
    private Duration settle = Duration.ofSeconds(5);
    private Duration messagingSettle = Duration.ofSeconds(30);
    private Duration analysisInterval = Duration.ofSeconds(1);
    private long maxOpenSpans = 500_000;

    Builder() {}

    public Builder listen(String listen) {
      this.listen = Objects.requireNonNull(listen, "listen");
      return this;
    }

    /** Null or empty means no token. */
    public Builder token(String token) {
      this.token = token == null || token.isEmpty() ? null : token;
      return this;
    }

    public Builder otlpGrpcPort(int port) {
      this.otlpGrpcPort = port(port, "otlpGrpcPort");
      return this;
    }

    public Builder otlpHttpPort(int port) {
      this.otlpHttpPort = port(port, "otlpHttpPort");
      return this;
    }

    public Builder zipkinPort(int port) {
      this.zipkinPort = port(port, "zipkinPort");
      return this;
    }

    public Builder queryPort(int port) {
      this.queryPort = port(port, "queryPort");
      return this;
    }

    public Builder queueCapacity(int spans) {
      if (spans <= 0) {
        throw new IllegalArgumentException("queueCapacity: " + spans + " (expected: > 0)");
      }
      this.queueCapacity = spans;
      return this;
    }

    public Builder maxBodyBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes: " + bytes + " (expected: > 0)");
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    public Builder maxInFlightBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxInFlightBytes: " + bytes + " (expected: >= 1024)");
      }
      this.maxInFlightBytes = bytes;
      return this;
    }

    /** Null keeps spans forever. */
    public Builder retention(Duration retention) {
      this.retention = retention;
      return this;
    }

    public Builder maxDiskBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxDiskBytes: " + bytes + " (expected: >= 0)");
      }
      this.maxDiskBytes = bytes;
      return this;
    }

    public Builder retentionInterval(Duration interval) {
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("retentionInterval: " + interval + " (expected: > 0)");
      }
      this.retentionInterval = interval;
      return this;
    }

    /** Quiet time after which a trace of HTTP/gRPC hops is analysed (default 5s). */
    public Builder settle(Duration settle) {
      this.settle = positive(settle, "settle");
      return this;
    }

    /** Quiet time after which a trace with messaging hops is analysed (default 30s). */
    public Builder messagingSettle(Duration settle) {
      this.messagingSettle = positive(settle, "messagingSettle");
      return this;
    }

    /** How often settled traces are looked for (default 1s). */
    public Builder analysisInterval(Duration interval) {
      this.analysisInterval = positive(interval, "analysisInterval");
      return this;
    }

    /**
     * Spans held in traces waiting to settle (default 500,000); past it the quietest traces are
     * analysed early rather than dropped, which bounds the analysis' memory.
     */
    public Builder maxOpenSpans(long spans) {
      if (spans <= 0) {
        throw new IllegalArgumentException("maxOpenSpans: " + spans + " (expected: > 0)");
      }
      this.maxOpenSpans = spans;
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
      }
      return d;
    }

    public ServerConfig build() {
      return new ServerConfig(this);
    }

    private static int port(int port, String name) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + ": " + port + " (expected: 0 to 65535)");
      }
      return port;
    }
  }
}
