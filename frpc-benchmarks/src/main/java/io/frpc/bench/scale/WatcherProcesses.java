package io.frpc.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Watchers in processes of their own ({@link WatcherProcess}), and the CPU time each has used. */
final class WatcherProcesses implements AutoCloseable {

  /** The child JVMs' flags: a small heap, as a watcher needs little; the serial collector, one thread. */
  static final List<String> JVM_FLAGS = List.of("-Xms64m", "-Xmx64m", "-XX:+UseSerialGC",
      "-Dio.netty.leakDetection.level=disabled");

  private final List<Process> processes = new ArrayList<>();

  WatcherProcesses(int count, int redisPort, String keyPrefix) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int i = 1; i <= count; i++) {
      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(JVM_FLAGS);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), WatcherProcess.class.getName(),
          Integer.toString(redisPort), keyPrefix, Integer.toString(i)));
      processes.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    for (Process process : processes) {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      // a watcher that found Redis busy logs a WARN and retries; only its exit without READY is a failure
      String line = out.readLine();
      while (line != null && !"READY".equals(line)) {
        System.err.println("  watcher process: " + line);
        line = out.readLine();
      }
      if (line == null) {
        throw new IllegalStateException("A watcher process ended before it subscribed");
      }
    }
  }

  /** CPU time used so far by each process, in nanoseconds. */
  long[] cpuNanos() {
    long[] cpu = new long[processes.size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = processes.get(i).toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }
    return cpu;
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        process.destroy();
      }
    }
    for (Process process : processes) {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
