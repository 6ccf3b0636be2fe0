package io.frpc.bench.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/** CPU time of this JVM's threads whose names match, and of the whole process. */
final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThreadCpu() {
  }

  /** Summed CPU nanoseconds of the live threads whose name matches. */
  static long of(Predicate<String> name) {
    long sum = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (name.test(thread.getName())) {
        long cpu = THREADS.getThreadCpuTime(thread.getId());
        sum += Math.max(cpu, 0);
      }
    }
    return sum;
  }

  /** CPU nanoseconds of the whole process. */
  static long process() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
