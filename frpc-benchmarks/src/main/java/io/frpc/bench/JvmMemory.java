package io.frpc.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Heap allocation and collections of this JVM so far: the load generator's client and server JVMs each report one
 * at the start and the end of every measured window.
 *
 * @param allocatedBytes heap bytes allocated by all threads since the JVM started
 * @param youngGcs       young-generation collections
 * @param fullGcs        full (old-generation) collections
 */
record JvmMemory(long allocatedBytes, long youngGcs, long fullGcs) {

  static JvmMemory now() {
    long young = 0;
    long full = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      String name = gc.getName();
      long count = Math.max(0, gc.getCollectionCount());
      if (name.contains("MarkSweep") || name.contains("Old")) {
        full += count;
      } else if (!name.contains("Concurrent")) {
        young += count;
      }
    }
    long allocated = ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getTotalThreadAllocatedBytes();
    return new JvmMemory(allocated, young, full);
  }

  JvmMemory minus(JvmMemory earlier) {
    return new JvmMemory(allocatedBytes - earlier.allocatedBytes, youngGcs - earlier.youngGcs,
        fullGcs - earlier.fullGcs);
  }

  JvmMemory plus(JvmMemory other) {
    return new JvmMemory(allocatedBytes + other.allocatedBytes, youngGcs + other.youngGcs, fullGcs + other.fullGcs);
  }

  String fields() {
    return String.format(Locale.ROOT, "%d %d %d", allocatedBytes, youngGcs, fullGcs);
  }

  static JvmMemory parse(String[] f, int from) {
    return new JvmMemory(Long.parseLong(f[from]), Long.parseLong(f[from + 1]), Long.parseLong(f[from + 2]));
  }
}
