package io.frpc.internal.routing;

import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;

/**
 * Least-loaded choice by the "power of two choices": two distinct nodes drawn at random, and the one with the
 * lower load, {@code (pending calls + 1) × average round trip}. Comparing two random nodes rather than all of them
 * keeps the cost constant and, since the least-loaded node is not everybody's choice at once, keeps many callers
 * from stampeding onto it.
 *
 * @param <T> a node, read through the two functions (a connection on the call path, plain values in tests)
 */
final class PowerOfTwoChoices<T> {

  /** An average below this counts as this, so that a node's pending calls still weigh when it seems instant. */
  static final long LATENCY_FLOOR_NANOS = 1_000;

  private final ToIntFunction<T> pendingCalls;
  private final ToLongFunction<T> latencyNanos;
  private final Supplier<? extends RandomGenerator> random;

  /**
   * @param latencyNanos a node's average round trip, or a negative value when it has none yet
   * @param random       the random source of the calling thread
   */
  PowerOfTwoChoices(ToIntFunction<T> pendingCalls, ToLongFunction<T> latencyNanos,
      Supplier<? extends RandomGenerator> random) {
    this.pendingCalls = pendingCalls;
    this.latencyNanos = latencyNanos;
    this.random = random;
  }

  /** The chosen node of {@code nodes}, or {@code null} when there is none. */
  T choose(T[] nodes) {
    if (nodes.length < 2) {
      return nodes.length == 0 ? null : nodes[0];
    }
    RandomGenerator draw = random.get();
    int first = draw.nextInt(nodes.length);
    int second = draw.nextInt(nodes.length - 1);
    if (second >= first) {
      second++; // the other nodes, equally likely: never the first twice
    }
    T a = nodes[first];
    T b = nodes[second];
    long latencyA = latencyNanos.applyAsLong(a);
    long latencyB = latencyNanos.applyAsLong(b);
    // A node without a finished call yet (just connected) is taken to be as fast as the node it is compared
    // with, so the two are told apart by their pending calls: a new node gets calls until it has as many
    // waiting as its rival, rather than every call until its first reply tells how slow it is (it would win
    // every comparison with a latency of zero), or none (with a pessimistic default).
    if (latencyA < 0) {
      latencyA = latencyB;
    } else if (latencyB < 0) {
      latencyB = latencyA;
    }
    return load(pendingCalls.applyAsInt(a), latencyA) <= load(pendingCalls.applyAsInt(b), latencyB) ? a : b;
  }

  /** In floating point: a long queue times a timeout-long average would overflow a {@code long}. */
  private static double load(int pending, long latencyNanos) {
    return (pending + 1.0) * Math.max(latencyNanos, LATENCY_FLOOR_NANOS);
  }
}
