package io.frpc.internal.module;

import io.frpc.FrpcCall;

/** Holds the {@link FrpcCall} of the command running on the current worker thread. */
public final class CallContext {

  private static final ThreadLocal<FrpcCall> CURRENT = new ThreadLocal<>();

  private CallContext() {
  }

  /** The call running on this thread, or {@code null}. */
  public static FrpcCall current() {
    return CURRENT.get();
  }

  static void set(FrpcCall call) {
    CURRENT.set(call);
  }

  static void clear() {
    // keeps the thread's entry for the next command, rather than removing and re-creating it per command
    CURRENT.set(null);
  }
}
