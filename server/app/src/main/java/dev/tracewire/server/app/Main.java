package dev.tracewire.server.app;

import picocli.CommandLine;

/**
 * Runs {@link ServerCommand} as a plain {@code main}, e.g. for child-process tests.
 *
 * <p>{@code java -cp <classpath> dev.tracewire.server.app.Main --data-dir /tmp/tw}
 */
public final class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new ServerCommand()).execute(args));
  }

  private Main() {}
}
