package dev.tracewire.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's resident memory from {@code /proc/<pid>/status}. */
final class ProcMemory {
  private ProcMemory() {}

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
