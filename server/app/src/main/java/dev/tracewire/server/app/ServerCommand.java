package dev.tracewire.server.app;

import dev.tracewire.server.storage.InMemorySpanStore;
import dev.tracewire.server.storage.SpanStore;
import dev.tracewire.server.storage.duckdb.DuckDbSpanStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tracewire server}: starts one process that ingests OTLP and Zipkin, stores spans in an
 * embedded DuckDB data directory and serves the query APIs.
 *
 * <p>{@code tracewire server --data-dir ./tracewire-data --retention 7d --max-disk 10GiB}
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Runs the Tracewire server: OTLP/Zipkin ingest, embedded storage, query API.")
public final class ServerCommand implements Callable<Integer> {
  private static final Logger logger = LoggerFactory.getLogger(ServerCommand.class);

  @Option(
      names = "--data-dir",
      defaultValue = "./tracewire-data",
      description = "Directory of the embedded database (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--storage",
      description =
          "duckdb (durable, in --data-dir) or memory (lost on exit). Default: duckdb; memory with"
              + " --demo.")
  String storage;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1",
      description = "Address to bind every port to (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--token",
      defaultValue = "${env:TRACEWIRE_TOKEN}",
      description = "Bearer token required on ingest and query (or env TRACEWIRE_TOKEN).")
  String token;

  @Option(
      names = "--otlp-grpc-port",
      defaultValue = "4317",
      description = "Default: ${DEFAULT-VALUE}.")
  int otlpGrpcPort;

  @Option(
      names = "--otlp-http-port",
      defaultValue = "4318",
      description = "Default: ${DEFAULT-VALUE}.")
  int otlpHttpPort;

  @Option(
      names = "--zipkin-port",
      defaultValue = "9411",
      description = "Default: ${DEFAULT-VALUE}.")
  int zipkinPort;

  @Option(
      names = "--port",
      defaultValue = "16686",
      description = "Query API and UI port (default: ${DEFAULT-VALUE}).")
  int queryPort;

  @Option(
      names = "--retention",
      defaultValue = "7d",
      description =
          "Delete spans older than this, e.g. 7d, 12h, 30m; 0 keeps all. Default: ${DEFAULT-VALUE}.")
  String retention;

  @Option(
      names = "--max-disk",
      defaultValue = "0",
      description = "Disk budget, oldest spans deleted past it, e.g. 10GiB, 500MB; 0 for none.")
  String maxDisk;

  @Option(
      names = "--max-in-flight",
      defaultValue = "256MiB",
      description =
          "Ingest request bodies held in memory at once, over all ports (default:"
              + " ${DEFAULT-VALUE}); past it senders get 429 / RESOURCE_EXHAUSTED and retry.")
  String maxInFlight;

  @Option(
      names = "--db-memory",
      defaultValue = "512MiB",
      description =
          "Memory the embedded database may use outside the Java heap, e.g. 512MiB, 2GiB"
              + " (default: ${DEFAULT-VALUE}). With -Xmx it bounds the server's resident memory.")
  String dbMemory;

  @Option(
      names = "--queue-capacity",
      defaultValue = "200000",
      description =
          "Spans queued for storage before ingest answers 429 (default: ${DEFAULT-VALUE}).")
  int queueCapacity;

  @Option(
      names = "--max-body",
      defaultValue = "16MiB",
      description = "Largest request body, compressed or not (default: ${DEFAULT-VALUE}).")
  String maxBody;

  @Option(
      names = "--settle",
      description =
          "A trace of HTTP/gRPC hops is analysed once quiet this long (default: 5s; 2s with --demo).")
  String settle;

  @Option(
      names = "--messaging-settle",
      description =
          "A trace with messaging hops is analysed once quiet this long (default: 30s; 5s with"
              + " --demo).")
  String messagingSettle;

  @Option(
      names = "--demo",
      description =
          "Feed the server simulated traffic (a dozen services over HTTP, gRPC, Kafka, RabbitMQ,"
              + " NATS/MQTT and mesh proxies, every kind of lost hop injected) so broken and whole"
              + " traces show at once.")
  boolean demo;

  @Option(
      names = "--demo-rate",
      defaultValue = "20",
      description = "Simulated requests per second with --demo (default: ${DEFAULT-VALUE}).")
  double demoRate;

  @Option(
      names = "--max-open-spans",
      defaultValue = "500000",
      description =
          "Spans held while traces settle; past it the quietest are analysed early"
              + " (default: ${DEFAULT-VALUE}).")
  long maxOpenSpans;

  @Override
  public Integer call() throws Exception {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    long bodyBytes = parseSize(maxBody, "--max-body");
    long inFlightBytes = parseSize(maxInFlight, "--max-in-flight");
    if (inFlightBytes < 1024) {
      throw new IllegalArgumentException(
          "--max-in-flight: " + maxInFlight + " (expected: at least 1KiB)");
    }
    long dbMemoryBytes = parseSize(dbMemory, "--db-memory");
    if (dbMemoryBytes < 16L << 20) {
      throw new IllegalArgumentException(
          "--db-memory: " + dbMemory + " (expected: at least 16MiB)");
    }
    if (bodyBytes <= 0 || bodyBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--max-body: " + maxBody + " (expected: 1 byte to 2GiB)");
    }
    ServerConfig config =
        ServerConfig.newBuilder()
            .listen(listen)
            .token(token)
            .otlpGrpcPort(otlpGrpcPort)
            .otlpHttpPort(otlpHttpPort)
            .zipkinPort(zipkinPort)
            .queryPort(queryPort)
            .retention(parseRetention(retention))
            .maxDiskBytes(parseSize(maxDisk, "--max-disk"))
            .queueCapacity(queueCapacity)
            .maxBodyBytes((int) bodyBytes)
            .maxInFlightBytes(inFlightBytes)
            .settle(parseDuration(orDefault(settle, demo ? "2s" : "5s"), "--settle"))
            .messagingSettle(
                parseDuration(
                    orDefault(messagingSettle, demo ? "5s" : "30s"), "--messaging-settle"))
            .maxOpenSpans(maxOpenSpans)
            .build();
    SpanStore store = openStore(dbMemoryBytes);
    TracewireServer server;
    try {
      server = TracewireServer.start(config, store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    Demo demoTraffic = demo ? Demo.start(server, demoRate) : null;
    if (demoTraffic != null) logDemo(server);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  logger.info("shutting down");
                  if (demoTraffic != null) demoTraffic.close();
                  server.close();
                  store.close();
                  stopped.countDown();
                },
                "tracewire-shutdown"));
    stopped.await();
    return 0;
  }

  private static String orDefault(String value, String defaultValue) {
    return value != null ? value : defaultValue;
  }

  private static void logDemo(TracewireServer server) {
    String base = "http://127.0.0.1:" + server.queryPort();
    logger.info(
        "--demo: simulated traffic with injected lost hops is flowing; findings appear within"
            + " seconds.\n  UI            {}/\n  lost hops     curl -s {}/api/v1/findings\n"
            + "  integrity     curl -s {}/api/v1/integrity",
        base,
        base,
        base);
  }

  private SpanStore openStore(long dbMemoryBytes) throws java.io.IOException {
    String kind = orDefault(storage, demo ? "memory" : "duckdb");
    switch (kind.toLowerCase(Locale.ROOT)) {
      case "memory":
        logger.warn("--storage memory: spans are lost when the process exits");
        return InMemorySpanStore.create();
      case "duckdb":
        Files.createDirectories(dataDir);
        logger.info("storing spans in {}", dataDir.toAbsolutePath());
        return DuckDbSpanStore.newBuilder(dataDir)
            .memoryLimit((dbMemoryBytes >> 20) + "MiB")
            .build();
      default:
        throw new IllegalArgumentException("--storage: " + kind + " (expected: duckdb or memory)");
    }
  }

  /** Parses a positive {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} for {@code option}. */
  static Duration parseDuration(String value, String option) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        long n = Long.parseLong(v.substring(0, v.length() - 2));
        if (n > 0) return Duration.ofMillis(n);
      } else if (!v.equals("0")) {
        Duration d = parseRetention(v);
        if (d != null) return d;
      }
    } catch (IllegalArgumentException e) { // NumberFormatException, or parseRetention's message
      // fall through to the message below, which names this option
    }
    throw new IllegalArgumentException(
        option + ": " + value + " (expected: a positive number with ms, s, m, h or d)");
  }

  /** Parses {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s}; {@code 0} means keep forever. */
  static Duration parseRetention(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) return null;
    if (v.length() >= 2) {
      char unit = v.charAt(v.length() - 1);
      try {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        if (n > 0) {
          switch (unit) {
            case 'd':
              return Duration.ofDays(n);
            case 'h':
              return Duration.ofHours(n);
            case 'm':
              return Duration.ofMinutes(n);
            case 's':
              return Duration.ofSeconds(n);
            default:
              break;
          }
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException(
        "--retention: " + value + " (expected: a positive number with d, h, m or s, or 0)");
  }

  /** Parses sizes like {@code 10GiB}, {@code 500MB}, {@code 1024}; binary and decimal units. */
  static long parseSize(String value, String option) {
    String v = value.trim();
    int i = 0;
    while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) i++;
    String unit = v.substring(i).trim().toLowerCase(Locale.ROOT);
    double number;
    try {
      number = Double.parseDouble(v.substring(0, i));
    } catch (NumberFormatException e) {
      number = -1;
    }
    long multiplier;
    switch (unit) {
      case "":
      case "b":
        multiplier = 1;
        break;
      case "k":
      case "kb":
        multiplier = 1000L;
        break;
      case "kib":
        multiplier = 1L << 10;
        break;
      case "m":
      case "mb":
        multiplier = 1000_000L;
        break;
      case "mib":
        multiplier = 1L << 20;
        break;
      case "g":
      case "gb":
        multiplier = 1000_000_000L;
        break;
      case "gib":
        multiplier = 1L << 30;
        break;
      case "t":
      case "tb":
        multiplier = 1000_000_000_000L;
        break;
      case "tib":
        multiplier = 1L << 40;
        break;
      default:
        multiplier = -1;
    }
    if (number < 0 || multiplier < 0) {
      throw new IllegalArgumentException(
          option + ": " + value + " (expected: a size like 10GiB, 500MB or 1048576)");
    }
    return (long) (number * multiplier);
  }
}
