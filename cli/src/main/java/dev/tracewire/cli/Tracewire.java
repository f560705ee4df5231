package dev.tracewire.cli;

import dev.tracewire.server.app.AnalyzeCommand;
import dev.tracewire.server.app.ServerCommand;
import dev.tracewire.server.simulator.SimulateCommand;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code tracewire} command line.
 *
 * <pre>{@code
 * $ tracewire server --demo
 * $ tracewire analyze spans.otlp.jsonl
 * $ tracewire headers 'b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1'
 * $ tracewire echo --port 8080
 * }</pre>
 */
@Command(
    name = "tracewire",
    mixinStandardHelpOptions = true,
    versionProvider = Tracewire.Version.class,
    description = "Keeps distributed traces whole across every hop, and proves it.")
public final class Tracewire implements Callable<Integer> {
  /** Exit code for input or options that are not what a command expects. */
  static final int USAGE = CommandLine.ExitCode.USAGE;

  private final InputStream stdin;
  private CommandSpec spec;

  private Tracewire(InputStream stdin) {
    this.stdin = stdin;
  }

  /** Every subcommand, in help order; a new command is one more entry here. */
  private List<Object> subcommands() {
    return List.of(
        new ServerCommand(),
        new AnalyzeCommand(),
        new SimulateCommand(),
        new HeadersCommand(stdin),
        new EchoCommand());
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(System.in, System.out, System.err).execute(args));
  }

  /**
   * Returns the {@code tracewire} command line reading {@code stdin} and writing to the streams.
   */
  static CommandLine commandLine(InputStream stdin, PrintStream out, PrintStream err) {
    // JSON is UTF-8 whatever the locale says
    return commandLine(
        stdin,
        new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
  }

  /**
   * Returns the {@code tracewire} command line reading {@code stdin} and writing to the writers.
   */
  static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
    Tracewire top = new Tracewire(stdin);
    CommandLine commandLine = new CommandLine(top);
    top.spec = commandLine.getCommandSpec();
    for (Object subcommand : top.subcommands()) commandLine.addSubcommand(subcommand);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (e, args) -> {
          // one line like every other failure, pointing at the help instead of printing it
          CommandSpec failed = e.getCommandLine().getCommandSpec();
          String name = qualifiedName(failed);
          e.getCommandLine()
              .getErr()
              .println(name + ": " + e.getMessage() + " (see: " + name + " --help)");
          e.getCommandLine().getErr().flush();
          return USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, failed, parseResult) -> {
          // one line, not a stack trace: the CLI's users read stderr, not logs
          failed.getErr().println(qualifiedName(failed.getCommandSpec()) + ": " + e);
          failed.getErr().flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    return commandLine;
  }

  @Override
  public Integer call() {
    // no subcommand: show what there is
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** Prints {@code problem} as the one line a failed command leaves on stderr; returns 2. */
  static int fail(CommandSpec spec, String problem) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(qualifiedName(spec) + ": " + problem);
    err.flush();
    return USAGE;
  }

  private static String qualifiedName(CommandSpec spec) {
    return spec.parent() != null ? spec.parent().name() + " " + spec.name() : spec.name();
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Tracewire.class.getPackage().getImplementationVersion();
      return new String[] {"tracewire " + (version != null ? version : "(development build)")};
    }
  }
}
