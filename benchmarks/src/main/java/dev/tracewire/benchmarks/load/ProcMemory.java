package dev.tracewire.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory and CPU time from {@code /proc/<pid>}. */
final class ProcMemory {
  private ProcMemory() {}

  /**
   * User plus system CPU seconds the process has used, from {@code /proc/<pid>/stat} (fields 14 and
   * 15, in clock ticks of 1/100 s on Linux), or NaN when unreadable.
   */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** {@code "pid=… VmHWM=… kB VmRSS=… kB"}, or why it could not be read. */
  static String describe(long pid) {
    try {
      String hwm = "?";
      String rss = "?";
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) hwm = line.substring(6).trim();
        if (line.startsWith("VmRSS:")) rss = line.substring(6).trim();
      }
      return "pid=" + pid + " VmHWM=" + hwm + " VmRSS=" + rss;
    } catch (IOException e) {
      return "pid=" + pid + " memory unreadable: " + e;
    }
  }
}
