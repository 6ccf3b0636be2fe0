package io.frpc.bench.pubsub;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition during setup, polling, and fails with what did not happen in time. */
final class Await {

  private Await() {
  }

  static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not happen within " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
    }
  }
}
