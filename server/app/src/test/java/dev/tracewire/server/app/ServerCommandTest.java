package dev.tracewire.server.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {
  @Test
  void parseRetention_unitsAndOff() {
    assertThat(ServerCommand.parseRetention("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(ServerCommand.parseRetention("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(ServerCommand.parseRetention("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(ServerCommand.parseRetention("0")).isNull();
    assertThatThrownBy(() -> ServerCommand.parseRetention("7w"))
        .hasMessageStartingWith("--retention: 7w (expected:");
  }

  @Test
  void parseDuration_settleWindows() {
    assertThat(ServerCommand.parseDuration("500ms", "--settle")).isEqualTo(Duration.ofMillis(500));
    assertThat(ServerCommand.parseDuration("5s", "--settle")).isEqualTo(Duration.ofSeconds(5));
    assertThat(ServerCommand.parseDuration("2m", "--settle")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> ServerCommand.parseDuration("0", "--settle"))
        .hasMessageStartingWith("--settle: 0 (expected:");
    assertThatThrownBy(() -> ServerCommand.parseDuration("0ms", "--messaging-settle"))
        .hasMessageStartingWith("--messaging-settle: 0ms (expected:");
    assertThatThrownBy(() -> ServerCommand.parseDuration("soon", "--settle"))
        .hasMessageStartingWith("--settle: soon (expected:");
  }

  @Test
  void parseSize_binaryAndDecimalUnits() {
    assertThat(ServerCommand.parseSize("10GiB", "--max-disk")).isEqualTo(10L << 30);
    assertThat(ServerCommand.parseSize("500MB", "--max-disk")).isEqualTo(500_000_000L);
    assertThat(ServerCommand.parseSize("16MiB", "--max-body")).isEqualTo(16L << 20);
    assertThat(ServerCommand.parseSize("1024", "--max-disk")).isEqualTo(1024L);
    assertThatThrownBy(() -> ServerCommand.parseSize("ten", "--max-disk"))
        .hasMessageStartingWith("--max-disk: ten (expected:");
  }

  @Test
  void options_defaultsAreTheStandardPorts() {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs();

    assertThat(command.otlpGrpcPort).isEqualTo(4317);
    assertThat(command.otlpHttpPort).isEqualTo(4318);
    assertThat(command.zipkinPort).isEqualTo(9411);
    assertThat(command.queryPort).isEqualTo(16686);
    assertThat(command.listen).isEqualTo("127.0.0.1");
    assertThat(command.dataDir.toString()).isEqualTo("./tracewire-data");
    assertThat(command.settle).isNull(); // 5s, or 2s with --demo
    assertThat(command.messagingSettle).isNull(); // 30s, or 5s with --demo
    assertThat(command.storage).isNull(); // duckdb, or memory with --demo
    assertThat(command.demo).isFalse();
    assertThat(ServerCommand.parseSize(command.dbMemory, "--db-memory")).isEqualTo(512L << 20);
  }
}
