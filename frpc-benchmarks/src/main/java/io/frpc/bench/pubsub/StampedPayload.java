package io.frpc.bench.pubsub;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bytes every system publishes: {@link System#nanoTime()} at publish in bytes 0–7, the publisher's
 * sequence number in bytes 8–15, zeros up to the payload size. Publisher and subscribers share one JVM,
 * so the timestamp is comparable with the subscriber's clock.
 */
final class StampedPayload {

  /** The smallest payload that holds both stamps. */
  static final int MIN_BYTES = 16;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private StampedPayload() {
  }

  /** A new payload of {@code bytes} bytes stamped with {@code sequence} and the current time. */
  static byte[] create(int bytes, long sequence) {
    byte[] payload = new byte[bytes];
    LONGS.set(payload, 8, sequence);
    LONGS.set(payload, 0, System.nanoTime());
    return payload;
  }

  static long publishedNanos(byte[] payload) {
    return (long) LONGS.get(payload, 0);
  }

  static long sequence(byte[] payload) {
    return (long) LONGS.get(payload, 8);
  }
}
