package io.frpc.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Marks the measured windows of the client JVM on its standard output ({@code WINDOW <scenario> <rep> start|end
 * <payload bytes> <allocated> <young GCs> <full GCs>}), so that the runner can take the server JVM's figures at the
 * same moments; and counts the payload bytes the calls carried (request and reply).
 */
final class Window {

  private final LongAdder payloadBytes = new LongAdder();

  /** {@code call}, counting the bytes it carries each way once it completes. */
  CompletableFuture<byte[]> counted(int size, CompletableFuture<byte[]> call) {
    return call.whenComplete((reply, error) -> {
      if (error == null) {
        payloadBytes.add(2L * size);
      }
    });
  }

  void started(String scenario, int rep) {
    mark(scenario, rep, "start");
  }

  void ended(String scenario, int rep) {
    mark(scenario, rep, "end");
  }

  private void mark(String scenario, int rep, String edge) {
    System.out.println("WINDOW " + scenario + " " + rep + " " + edge + " " + payloadBytes.sum() + " "
        + JvmMemory.now().fields());
    System.out.flush();
  }
}
