package dev.tracewire.cli;

import dev.tracewire.propagation.TracewirePropagator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracewire echo}: a test peer that reports what trace headers reached it. */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a test peer: every request gets back JSON describing the trace headers that reached it"
          + " and what the universal propagator extracted, so you can put it behind a proxy,"
          + " gateway or mesh and see what survived.",
      "A POST whose body is a JSON array of {\"url\": ..., \"arguments\": ...} also continues the"
          + " trace: each element is POSTed json(arguments) to url with propagated headers (a new"
          + " span id per call), the protocol of the W3C trace-context test harness."
    })
final class EchoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PropagatorOptions options = new PropagatorOptions();

  @Option(
      names = "--port",
      required = true,
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (the listening line says which).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only).")
  String bind;

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      return Tracewire.fail(spec, "--port: " + port + " (expected: 0..65535)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      return Tracewire.fail(spec, "--bind: unknown host " + bind);
    }
    TracewirePropagator propagator;
    try {
      propagator = options.propagator();
    } catch (IllegalArgumentException e) {
      return Tracewire.fail(spec, e.getMessage());
    }

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EchoServer server;
    try {
      server = EchoServer.start(new InetSocketAddress(address, port), propagator);
    } catch (IOException e) {
      err.println("tracewire echo: cannot listen on " + bind + ":" + port + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    Thread stopOnExit = new Thread(server::close, "tracewire-echo-shutdown");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    String uri = server.uri().toString();
    out.println("tracewire echo listening on " + uri.substring(0, uri.length() - 1));
    out.flush();
    try {
      new CountDownLatch(1).await(); // until Ctrl-C, or an interrupt when embedded
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
    return 0;
  }
}
