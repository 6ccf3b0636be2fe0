package io.frpc.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition, polling every 5 ms (little enough CPU to leave a measurement alone), and fails with what
 * did not happen in time.
 */
public final class Await {

  private Await() {
  }

  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not happen within " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}
