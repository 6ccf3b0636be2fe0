package io.frpc.internal.transport;

import io.frpc.time.FrpcClock;
import io.frpc.time.SystemClock;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one node, shared by its server and client side: I/O event loops, a timer for
 * deadlines and reconnects, an elastic worker pool that runs handler code, a few threads that complete
 * asynchronous calls, and a single thread that delivers node events in order. Nothing here is static, so several
 * nodes can live in one JVM.
 */
public final class TransportResources implements AutoCloseable {

  private final EventLoopGroup ioGroup;
  private final HashedWheelTimer timer;
  private final FrpcClock clock;
  private final SystemClock ownClock;
  private final ExecutorService workers;
  private final ExecutorService callbacks;
  private final ExecutorService events;
  private final Traffic traffic = new Traffic();

  /**
   * @param label     names the threads, e.g. the node id
   * @param ioThreads number of I/O event loops
   * @param clock     the clock to use, owned by the caller; {@code null} for a system clock owned by these resources
   */
  public TransportResources(String label, int ioThreads, FrpcClock clock) {
    this.ownClock = clock == null ? new SystemClock(label) : null;
    this.clock = clock == null ? ownClock : clock;
    this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("frpc-io-" + label, true),
        NioIoHandler.newFactory());
    this.timer = new HashedWheelTimer(new DefaultThreadFactory("frpc-timer-" + label, true), 10,
        TimeUnit.MILLISECONDS);
    // Elastic and unbounded: a slow instance holds one thread and never starves the others. An actor instance
    // uses at most one thread at a time; a concurrent one up to its mailbox capacity (10,000 by default), so a
    // concurrent handler that blocks can make this pool grow to that many threads.
    this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        new DefaultThreadFactory("frpc-worker-" + label, true));
    // Completions of asynchronous calls are short: a few threads draining one queue never park while busy.
    this.callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("frpc-callback-" + label, true));
    this.events = Executors.newSingleThreadExecutor(new DefaultThreadFactory("frpc-events-" + label, true));
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

  @Override
  public void close() {
    ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    timer.stop();
    if (ownClock != null) {
      ownClock.close();
    }
    events.shutdown();
    callbacks.shutdown();
    workers.shutdown();
  }
}
