package dev.tracewire.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewire.propagation.HopDiagnostics;
import dev.tracewire.propagation.TracewirePropagator;
import io.opentelemetry.context.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tracewire headers}: explains a set of trace headers. */
@Command(
    name = "headers",
    mixinStandardHelpOptions = true,
    description = {
      "Explains a set of trace headers: each format present (valid or why not), the one the"
          + " universal propagator continues, conflicts, merged baggage, and the exact headers it"
          + " would inject downstream.",
      "Reads 'Name: value' lines from the arguments, or from standard input when there are none."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the headers were explained, valid or not",
      "2:the input is not header lines, or an option is wrong"
    })
final class HeadersCommand implements Callable<Integer> {
  enum OutputFormat {
    json,
    text
  }

  @Spec CommandSpec spec;

  @Mixin PropagatorOptions options = new PropagatorOptions();

  @Option(
      names = "--format",
      paramLabel = "json|text",
      defaultValue = "json",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Parameters(
      paramLabel = "HEADER",
      arity = "0..*",
      description = "One 'Name: value' header per argument, e.g. 'traceparent: 00-...-01'.")
  List<String> arguments = new ArrayList<>();

  private final InputStream stdin;

  HeadersCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    if (arguments.isEmpty() && stdin == System.in && System.console() != null) {
      // someone typing: say what is expected rather than sit silently on a read
      spec.commandLine()
          .getErr()
          .println("tracewire headers: reading 'Name: value' lines, end with Ctrl-D");
      spec.commandLine().getErr().flush();
    }
    HeaderLines headers;
    try {
      headers =
          arguments.isEmpty()
              ? HeaderLines.parse(readLines(stdin), "line")
              : HeaderLines.parse(arguments, "argument");
    } catch (IllegalArgumentException e) {
      return Tracewire.fail(spec, e.getMessage());
    }
    TracewirePropagator propagator;
    try {
      propagator = options.propagator();
    } catch (IllegalArgumentException e) {
      return Tracewire.fail(spec, e.getMessage());
    }

    Context extracted = propagator.extract(Context.root(), headers, HeaderLines.GETTER);
    Context client = Downstream.clientContext(extracted);
    ObjectNode explanation =
        Explanation.describe(
            HopDiagnostics.fromContext(extracted),
            extracted,
            Downstream.inject(propagator, client));

    String rendered =
        format == OutputFormat.text ? Explanation.text(explanation) : Explanation.json(explanation);
    spec.commandLine().getOut().print(rendered);
    if (!rendered.endsWith("\n")) spec.commandLine().getOut().println();
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static List<String> readLines(InputStream in) {
    // headers are ISO-8859-1 on the wire, but a terminal speaks UTF-8
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    try {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) lines.add(line);
    } catch (IOException e) {
      throw new UncheckedIOException("reading standard input", e);
    }
    return lines;
  }
}
