package dev.tracewire.instrumentation.http;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx reverse proxy in front of one upstream on loopback, started as a child process with
 * its own configuration ({@code nginx -p <dir> -c <conf> -g 'daemon off;'}).
 */
final class Nginx implements AutoCloseable {
  /** Headers the proxy drops in {@link #stripping}: every trace format and Envoy's request id. */
  static final List<String> TRACE_HEADERS =
      List.of(
          "traceparent",
          "tracestate",
          "baggage",
          "b3",
          "X-B3-TraceId",
          "X-B3-SpanId",
          "X-B3-ParentSpanId",
          "X-B3-Sampled",
          "X-B3-Flags",
          "uber-trace-id",
          "sentry-trace",
          "x-request-id");

  /** A plain pass-through proxy to {@code upstreamPort}. */
  static Nginx passThrough(int upstreamPort) throws Exception {
    return start(upstreamPort, "", "");
  }

  /** A proxy configured to drop every trace header, as a misconfigured gateway does. */
  static Nginx stripping(int upstreamPort) throws Exception {
    StringBuilder drop = new StringBuilder();
    for (String header : TRACE_HEADERS) {
      drop.append("      proxy_set_header ").append(header).append(" \"\";\n");
    }
    return start(upstreamPort, "", drop.toString());
  }

  /**
   * An edge proxy that, like Envoy at ingress, gives each request an x-request-id if it has none.
   */
  static Nginx requestIdEdge(int upstreamPort) throws Exception {
    return start(
        upstreamPort,
        "  map $http_x_request_id $tracewire_request_id {\n"
            + "    default $http_x_request_id;\n"
            + "    \"\" $request_id;\n"
            + "  }\n",
        "      proxy_set_header x-request-id $tracewire_request_id;\n");
  }

  private final Process process;
  private final Path dir;
  private final int port;

  private Nginx(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  int port() {
    return port;
  }

  private static Nginx start(int upstreamPort, String http, String location) throws Exception {
    String binary = binary();
    Path dir = Files.createTempDirectory("tracewire-nginx");
    int port = freePort();
    String conf =
        "worker_processes 1;\n"
            + "pid "
            + dir.resolve("nginx.pid")
            + ";\n"
            + "error_log "
            + dir.resolve("error.log")
            + " warn;\n"
            + "events { worker_connections 64; }\n"
            + "http {\n"
            + "  access_log off;\n"
            + "  client_body_temp_path "
            + dir.resolve("client_body")
            + ";\n"
            + "  proxy_temp_path "
            + dir.resolve("proxy")
            + ";\n"
            + "  fastcgi_temp_path "
            + dir.resolve("fastcgi")
            + ";\n"
            + "  uwsgi_temp_path "
            + dir.resolve("uwsgi")
            + ";\n"
            + "  scgi_temp_path "
            + dir.resolve("scgi")
            + ";\n"
            + http
            + "  server {\n"
            + "    listen 127.0.0.1:"
            + port
            + ";\n"
            + "    location / {\n"
            + "      proxy_pass http://127.0.0.1:"
            + upstreamPort
            + ";\n"
            + "      proxy_http_version 1.1;\n"
            + location
            + "    }\n"
            + "  }\n"
            + "}\n";
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Path log = dir.resolve("stderr.log");
    Process process =
        new ProcessBuilder(
                binary,
                "-e",
                dir.resolve("error.log").toString(),
                "-p",
                dir.toString(),
                "-c",
                confFile.toString(),
                "-g",
                "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Nginx nginx = new Nginx(process, dir, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (!process.isAlive()) {
        nginx.close();
        throw new AssertionError(
            "nginx exited with "
                + process.exitValue()
                + ": "
                + Files.readString(log)
                + "\n"
                + conf);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return nginx;
      } catch (IOException notYet) {
        if (System.nanoTime() - deadline > 0) {
          nginx.close();
          throw new AssertionError("nginx did not listen on 127.0.0.1:" + port + " within 10 s");
        }
        Thread.sleep(20);
      }
    }
  }

  /** The nginx binary on PATH or in /usr/sbin (not on a non-root PATH), else a clear failure. */
  static String binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        File candidate = new File(entry, "nginx");
        if (candidate.canExecute()) return candidate.getPath();
      }
    }
    File sbin = new File("/usr/sbin/nginx");
    if (sbin.canExecute()) return sbin.getPath();
    throw new AssertionError(
        "nginx not found on PATH or at /usr/sbin/nginx — install it with: apt-get install -y nginx");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  String errorLog() throws IOException {
    Path log = dir.resolve("error.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }
}
