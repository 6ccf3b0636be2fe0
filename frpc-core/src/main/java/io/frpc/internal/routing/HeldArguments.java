package io.frpc.internal.routing;

import io.frpc.FrpcBytes;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link FrpcBytes} among a call's arguments, held by the call itself: a wait for a node, a retry or a hedge
 * encodes the arguments later than the caller's own view may live, so the call keeps a view of its own of each
 * until it is done.
 */
final class HeldArguments {

  private HeldArguments() {
  }

  /**
   * {@code args} with each {@link FrpcBytes} replaced by a view of the call's own, or {@code args} itself when it
   * holds none.
   *
   * @throws IllegalStateException when a view was closed already
   */
  static Object[] hold(Object[] args) {
    if (args == null) {
      return null;
    }
    Object[] held = args;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof FrpcBytes bytes) {
        if (held == args) {
          held = args.clone();
        }
        held[i] = bytes.retain();
      }
    }
    return held;
  }

  /** Closes the views {@link #hold} made for {@code held} from {@code args}. */
  static void release(Object[] args, Object[] held) {
    if (held != args) {
      for (Object arg : held) {
        if (arg instanceof FrpcBytes bytes) {
          bytes.close();
        }
      }
    }
  }

  /** Closes the views {@link #hold} made once {@code call} is done; returns {@code call}. */
  static <T extends CompletableFuture<?>> T releasedWhenDone(Object[] args, Object[] held, T call) {
    if (held != args) {
      call.whenComplete((value, failure) -> release(args, held));
    }
    return call;
  }
}
