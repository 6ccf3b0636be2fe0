package io.frpc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's CPU time so far, from the first line of Linux's {@code /proc/stat}: the runner reads it at the start
 * and the end of every measured window, so each figure carries the share of CPU time the hypervisor gave to other
 * guests meanwhile (steal), which on a shared 2-core VM moves results by more than most changes do.
 *
 * @param steal ticks stolen by the hypervisor
 * @param total ticks of every kind (user, nice, system, idle, I/O wait, interrupts, steal)
 */
record HostCpu(long steal, long total) {

  private static final Path STAT = Path.of("/proc/stat");

  /** The host's CPU time now, or null where {@code /proc/stat} cannot be read (not Linux). */
  static HostCpu now() {
    try {
      List<String> lines = Files.readAllLines(STAT);
      String[] f = lines.get(0).trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 9) {
        return null;
      }
      long total = 0;
      for (int i = 1; i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      return new HostCpu(Long.parseLong(f[8]), total);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Steal as a percentage of all CPU time since {@code start}; NaN when either reading is missing. */
  static double stealPercent(HostCpu start, HostCpu end) {
    if (start == null || end == null || end.total == start.total) {
      return Double.NaN;
    }
    return 100.0 * (end.steal - start.steal) / (end.total - start.total);
  }
}
