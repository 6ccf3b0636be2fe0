package io.frpc.internal.routing;

import io.frpc.FrpcException;
import io.frpc.NoNodeConnectedException;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connected nodes of one name, sorted by id, readable without locks on the call path, and the
 * callers waiting for one of them to connect.
 */
final class NodeGroup {

  private static final OutgoingConnection[] NONE = new OutgoingConnection[0];

  private final String name;
  private final FrpcClock clock;
  private final AtomicInteger roundRobin = new AtomicInteger();
  private volatile OutgoingConnection[] active = NONE;
  private final List<Waiter> waiters = new ArrayList<>();

  /** @param clock tells whether a node that refused a call is still avoided */
  NodeGroup(String name, FrpcClock clock) {
    this.name = name;
    this.clock = clock;
  }

  /** Round-robin over the connected nodes, or {@code null} if none is. */
  OutgoingConnection next() {
    return next(List.of());
  }

  /**
   * Round-robin over the connected nodes a call may go to ({@link #candidates}); {@code null} when every connected
   * node is in {@code avoid}.
   */
  OutgoingConnection next(List<OutgoingConnection> avoid) {
    OutgoingConnection[] nodes = candidates(avoid);
    return nodes.length == 0 ? null : nodes[Math.floorMod(roundRobin.getAndIncrement(), nodes.length)];
  }

  /**
   * The connected nodes a call may go to: those not in {@code avoid}, and of those the ones that did not refuse a
   * call unrun a moment ago, unless every one did. The array of connected nodes itself when none is passed over.
   */
  OutgoingConnection[] candidates(List<OutgoingConnection> avoid) {
    OutgoingConnection[] nodes = active;
    long now = 0;
    boolean[] refused = null;
    int usable = 0;
    int unrefused = 0;
    for (int i = 0; i < nodes.length; i++) {
      if (!avoid.isEmpty() && avoid.contains(nodes[i])) {
        continue;
      }
      usable++;
      long avoidedUntil = nodes[i].avoidedUntilNanos();
      if (avoidedUntil != 0) {
        // one reading of the clock for all: the passes below must agree on who is passed over
        if (refused == null) {
          now = clock.nanoTime();
          refused = new boolean[nodes.length];
        }
        refused[i] = avoidedUntil - now > 0;
      }
      if (refused == null || !refused[i]) {
        unrefused++;
      }
    }
    if (unrefused == nodes.length) {
      return nodes;
    }
    OutgoingConnection[] result = new OutgoingConnection[unrefused > 0 ? unrefused : usable];
    int next = 0;
    for (int i = 0; i < nodes.length; i++) {
      if ((avoid.isEmpty() || !avoid.contains(nodes[i])) && (unrefused == 0 || refused == null || !refused[i])) {
        result[next++] = nodes[i];
      }
    }
    return result;
  }

  OutgoingConnection byId(int id) {
    for (OutgoingConnection node : active) {
      if (node.node().id().id() == id) {
        return node;
      }
    }
    return null;
  }

  OutgoingConnection[] all() {
    return active;
  }

  /**
   * Completes with a connection of node {@code id} (any node when {@code id} is null) once one is
   * connected, or fails with {@link NoNodeConnectedException} after {@code wait}.
   */
  CompletableFuture<OutgoingConnection> await(Integer id, Duration wait, FrpcClock clock) {
    Waiter waiter;
    synchronized (this) {
      OutgoingConnection ready = id == null ? next() : byId(id);
      if (ready != null) {
        return CompletableFuture.completedFuture(ready);
      }
      if (wait.isZero()) {
        return CompletableFuture.failedFuture(new NoNodeConnectedException(name, id, wait));
      }
      waiter = new Waiter(id);
      waiters.add(waiter);
      waiter.timeout = clock.schedule(() -> {
        synchronized (this) {
          waiters.remove(waiter);
        }
        waiter.future.completeExceptionally(new NoNodeConnectedException(name, id, wait));
      }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
    return waiter.future;
  }

  /** Adds a connection and hands it to the waiters it satisfies, on {@code executor}. */
  void add(OutgoingConnection connection, Executor executor) {
    List<Waiter> satisfied = new ArrayList<>();
    synchronized (this) {
      OutgoingConnection[] nodes = Arrays.copyOf(active, active.length + 1);
      nodes[nodes.length - 1] = connection;
      Arrays.sort(nodes, Comparator.comparingInt(c -> c.node().id().id()));
      active = nodes;
      int id = connection.node().id().id();
      waiters.removeIf(w -> (w.id == null || w.id == id) && satisfied.add(w));
    }
    for (Waiter waiter : satisfied) {
      waiter.timeout.cancel();
      executor.execute(() -> waiter.future.complete(connection));
    }
  }

  /** Fails the callers waiting for node {@code id} (for any node when {@code anyNode}) with {@code failure}. */
  void fail(int id, boolean anyNode, FrpcException failure, Executor executor) {
    List<Waiter> failed = new ArrayList<>();
    synchronized (this) {
      waiters.removeIf(w -> ((w.id != null && w.id == id) || (w.id == null && anyNode)) && failed.add(w));
    }
    for (Waiter waiter : failed) {
      waiter.timeout.cancel();
      executor.execute(() -> waiter.future.completeExceptionally(failure));
    }
  }

  synchronized void remove(OutgoingConnection connection) {
    active = Arrays.stream(active).filter(c -> c != connection).toArray(OutgoingConnection[]::new);
  }

  private static final class Waiter {
    final Integer id;
    final CompletableFuture<OutgoingConnection> future = new CompletableFuture<>();
    FrpcClock.ScheduledTask timeout;

    Waiter(Integer id) {
      this.id = id;
    }
  }
}
