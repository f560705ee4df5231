package dev.tracewire.server.storage.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.server.model.Span;
import dev.tracewire.server.model.TraceId;
import dev.tracewire.server.storage.tck.RealisticLoad;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that returned survives SIGKILL of the process right after it returned. */
class CrashRecoveryTest {
  static final int BATCHES = 30;
  static final int TRACES_PER_BATCH = 20;

  @TempDir Path dir;

  @Test
  void sigkillAfterAck_everyAcknowledgedSpanSurvives() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WriteAndHang.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    int acked = 0;
    List<String> output = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        output.add(line);
        if (line.startsWith("ACK ")) acked = Integer.parseInt(line.substring(4));
        if (acked == BATCHES) break;
      }
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no checkpoint
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acked).as("child output: %s", output).isEqualTo(BATCHES);

    try (DuckDbSpanStore store = DuckDbSpanStore.open(dir)) {
      Map<TraceId, List<Span>> expected = new LinkedHashMap<>();
      for (List<Span> batch : batches()) {
        for (Span span : batch) {
          expected.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span);
        }
      }
      assertThat(expected).hasSize(BATCHES * TRACES_PER_BATCH);
      expected.forEach(
          (id, spans) ->
              assertThat(store.trace(id))
                  .as("trace %s", id)
                  .containsExactlyInAnyOrderElementsOf(spans));
    }
  }

  /** The same spans the child writes: fixed seed. */
  static List<List<Span>> batches() {
    RealisticLoad load = RealisticLoad.create(99);
    List<List<Span>> batches = new ArrayList<>();
    for (int b = 0; b < BATCHES; b++) {
      List<Span> batch = new ArrayList<>();
      for (int t = 0; t < TRACES_PER_BATCH; t++) batch.addAll(load.trace());
      batches.add(batch);
    }
    return batches;
  }

  /** Child process: writes batches, prints an ACK after each returned write, then hangs. */
  static final class WriteAndHang {
    public static void main(String[] args) throws Exception {
      DuckDbSpanStore store = DuckDbSpanStore.open(Path.of(args[0]));
      int n = 0;
      for (List<Span> batch : batches()) {
        store.write(batch);
        System.out.println("ACK " + ++n);
        System.out.flush();
      }
      Thread.sleep(TimeUnit.MINUTES.toMillis(5));
      store.close(); // never reached: the parent kills us
    }
  }
}
