package io.frpc.internal.transport;

import io.frpc.time.FrpcClock;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ExecutorService;

/**
 * What one node's server and client side run on: I/O event loops, the node's clock (its time, and the timer for
 * deadlines and reconnects), an elastic worker pool that runs handler code, a few threads that complete
 * asynchronous calls, a single thread that delivers node events in order, and the node's byte counters. The event
 * loops, clock and executors belong to an {@code io.frpc.FrpcResources} — the node's own, or one shared by several
 * nodes — whose owner closes them; nothing here is the node's own to close. Nothing here is static, so several
 * nodes can live in one JVM.
 */
public final class TransportResources {

  private final EventLoopGroup ioGroup;
  private final FrpcClock clock;
  private final ExecutorService workers;
  private final ExecutorService callbacks;
  private final ExecutorService events;
  private final ChannelGroup channels;
  private final Traffic traffic = new Traffic();

  /**
   * @param ioGroup   I/O event loops
   * @param clock     the node's clock
   * @param workers   runs handler code and subscription listeners
   * @param callbacks completes asynchronous calls
   * @param events    delivers node events, one at a time
   * @param channels  the channels open on the event loops, closed with them
   */
  public TransportResources(EventLoopGroup ioGroup, FrpcClock clock, ExecutorService workers,
      ExecutorService callbacks, ExecutorService events, ChannelGroup channels) {
    this.clock = clock;
    this.channels = channels;
    this.ioGroup = ioGroup;
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

  /** The node's time, and the timer for call deadlines, connect waits and reconnect backoff. */
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

  /**
   * Adds {@code channel} to those closed when the event loops close: Netty closes a loop's channels as it shuts down,
   * except when the shutdown begins at one moment of its loop, and then leaves them open for good (seen with the
   * in-JVM transport: a killed node's connections stayed up until their peers next wrote).
   */
  void track(Channel channel) {
    channels.add(channel);
  }

  /** Bytes the node received and sent on all its connections. */
  public Traffic traffic() {
    return traffic;
  }

  /** Delivers node events in order, one at a time. */
  public ExecutorService events() {
    return events;
  }
}
