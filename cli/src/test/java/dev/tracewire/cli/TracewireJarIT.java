package dev.tracewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the shaded {@code tracewire.jar} as the launcher does: {@code java -jar}. */
class TracewireJarIT {
  static final String JAR = System.getProperty("tracewire.jar", "target/tracewire.jar");

  static List<String> java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    command.add("-jar");
    command.add(JAR);
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void jar_headers_answersJson() throws Exception {
    Process process =
        new ProcessBuilder(
                java(
                    "headers",
                    "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    JsonNode json = Explanation.JSON.readTree(out);
    assertThat(json.path("used").asText()).isEqualTo("tracecontext");
    assertThat(json.path("downstream").path("headers").path("traceparent").asText())
        .startsWith("00-0af7651916cd43dd8448eb211c80319c-");
  }

  @Test
  void jar_badHeaderLine_exits2() throws Exception {
    Process process = new ProcessBuilder(java("headers")).start();
    process.getOutputStream().write("no colon here\n".getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(err)
        .isEqualTo(
            "tracewire headers: line 1: no colon in \"no colon here\" (expected: Name: value)\n");
  }

  @Test
  void jar_echo_listensAndAnswers() throws Exception {
    Process process = new ProcessBuilder(java("echo", "--port", "0")).start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).matches("tracewire echo listening on http://127\\.0\\.0\\.1:[0-9]+");

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(line.substring(line.indexOf("http")) + "/x"))
                      .header("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Explanation.JSON.readTree(response.body()).path("used").asText()).isEqualTo("b3");
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
