package io.frpc.internal.transport;

import io.frpc.time.FrpcClock;
import io.netty.channel.EventLoopGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What one node's server and client side run on: I/O event loops, a timer for deadlines and reconnects, the
 * node's clock, an elastic worker pool that runs handler code, a few threads that complete asynchronous calls,
 * a single thread that delivers node events in order, and the node's byte counters. The event loops, clock and
 * executors belong to an {@code io.frpc.FrpcResources} — the node's own, or one shared by several nodes — whose
 * owner closes them; {@link #close()} closes only what is this node's. Nothing here is static, so several nodes
 * can live in one JVM.
 */
public final class TransportResources implements AutoCloseable {

  private final EventLoopGroup ioGroup;
  private final HashedWheelTimer timer;
  private final FrpcClock clock;
  private final ExecutorService workers;
  private final ExecutorService callbacks;
  private final ExecutorService events;
  private final Traffic traffic = new Traffic();

  /**
   * @param label     names the node's own threads, e.g. the node id
   * @param ioGroup   I/O event loops
   * @param clock     the node's clock
   * @param workers   runs handler code and subscription listeners
   * @param callbacks completes asynchronous calls
   * @param events    delivers node events, one at a time
   */
  public TransportResources(String label, EventLoopGroup ioGroup, FrpcClock clock, ExecutorService workers,
      ExecutorService callbacks, ExecutorService events) {
    this.clock = clock;
    this.ioGroup = ioGroup;
    this.timer = new HashedWheelTimer(new DefaultThreadFactory("frpc-timer-" + label, true), 10,
        TimeUnit.MILLISECONDS);
    this.workers = workers;
    this.callbacks = callbacks;
    this.events = events;
  }

  /** I/O event loops. */
  public EventLoopGroup ioGroup() {
    return ioGroup;
  }

  /** Whether the calling thread is one of this node's I/O event loops. */
  public boolean inIoThread() {
    if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
      return false; // every event loop thread is one
    }
    for (EventExecutor loop : ioGroup) {
      if (loop.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  /** Timer for call deadlines, connect waits and reconnect backoff. */
  public Timer timer() {
    return timer;
  }

  /** The node's time and timers. */
  public FrpcClock clock() {
    return clock;
  }

  /** Runs handler code; never an I/O thread. */
  public ExecutorService workers() {
    return workers;
  }

  /** Completes asynchronous calls (decoding their results); never an I/O thread. */
  public ExecutorService callbacks() {
    return callbacks;
  }

  /** Bytes the node received and sent on all its connections. */
  public Traffic traffic() {
    return traffic;
  }

  /** Delivers node events in order, one at a time. */
  public ExecutorService events() {
    return events;
  }

  /** Stops what is this node's own; the event loops, clock and executors are closed by their owner. */
  @Override
  public void close() {
    timer.stop();
  }
}
