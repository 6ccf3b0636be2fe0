package io.frpc;

import io.frpc.time.FrpcClock;
import io.frpc.time.SystemClock;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads and the clock nodes run on: I/O event loops, a {@link SystemClock} with its timer thread, an
 * elastic worker pool that runs handler code and subscription listeners, a few threads that complete
 * asynchronous calls, and one thread that delivers node events (in order, node by node).
 *
 * <p>A node built without resources creates its own and closes them with itself. Several nodes in one JVM can
 * share one instance instead, given with {@link FrpcNode.Builder#resources(FrpcResources)}:
 * <pre>{@code
 * try (FrpcResources shared = FrpcResources.builder().ioThreads(4).label("cluster").build();
 *      FrpcNode lobby = FrpcNode.builder("lobby", 1).resources(shared).build();
 *      FrpcNode game = FrpcNode.builder("game", 1).resources(shared).build()) {
 *   ...
 * } // closes game, lobby, then the resources
 * }</pre>
 * <b>Ownership:</b> whoever creates an instance owns it and closes it, after every node using it is closed. A
 * node never shuts down resources it was given; each node keeps its own byte counters and connections, and the
 * events of one node are still delivered in order. A slow node listener delays the events of every node sharing
 * the events thread. Resources run the channels of one {@link Transport} ({@link Builder#transport}), that of the
 * nodes using them.
 */
public final class FrpcResources implements AutoCloseable {

  /** How long in-JVM event loops keep running once closed, for the peers' answers to their last closes. */
  private static final long IN_JVM_LINGER_MILLIS = 20;
  /** How long closing waits for the channels still open to close before it stops the event loops. */
  private static final long CHANNELS_CLOSE_MILLIS = 2_000;

  private final String label;
  private final int ioThreads;
  private final EventLoopGroup ioGroup;
  private final FrpcClock clock;
  /** The clock these resources created, closed with them; {@code null} when a node gave its own. */
  private final SystemClock ownClock;
  private final ExecutorService workers;
  private final ExecutorService callbacks;
  private final ExecutorService events;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Transport transport;
  /** Every channel the nodes opened on the event loops, closed with them (see {@link #close()}). */
  private final ChannelGroup channels;

  /**
   * @param label     names the threads ({@code frpc-io-<label>-*}, ...)
   * @param ioThreads I/O event loops; 0 or less means min(4, available processors)
   * @param clock     a clock owned by the caller, or {@code null} for a system clock owned by these resources
   * @param transport the channels the event loops run: each transport needs event loops of its own kind
   */
  FrpcResources(String label, int ioThreads, FrpcClock clock, Transport transport) {
    this.label = label;
    this.transport = transport;
    this.ioThreads = ioThreads > 0 ? ioThreads : Math.min(4, Runtime.getRuntime().availableProcessors());
    this.ownClock = clock == null ? new SystemClock(label) : null;
    this.clock = clock == null ? ownClock : clock;
    this.ioGroup = new MultiThreadIoEventLoopGroup(this.ioThreads, new DefaultThreadFactory("frpc-io-" + label, true),
        transport == Transport.IN_JVM ? LocalIoHandler.newFactory() : NioIoHandler.newFactory());
    // Elastic and unbounded: a slow instance holds one thread and never starves the others. An actor instance
    // uses at most one thread at a time; a concurrent one up to its mailbox capacity (10,000 by default), so a
    // concurrent handler that blocks can make this pool grow to that many threads.
    this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
        new DefaultThreadFactory("frpc-worker-" + label, true));
    // Completions of asynchronous calls are short: a few threads draining one queue never park while busy.
    this.callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("frpc-callback-" + label, true));
    this.events = Executors.newSingleThreadExecutor(new DefaultThreadFactory("frpc-events-" + label, true));
    this.channels = new DefaultChannelGroup("frpc-" + label, ImmediateEventExecutor.INSTANCE);
  }

  /** Resources with {@link FrpcNode#DEFAULT_IO_THREADS} I/O threads, labelled {@code shared}. */
  public static FrpcResources create() {
    return builder().build();
  }

  /** Starts building resources to share. */
  public static Builder builder() {
    return new Builder();
  }

  /** The label in the names of the threads. */
  public String label() {
    return label;
  }

  /** The number of I/O event loops. */
  public int ioThreads() {
    return ioThreads;
  }

  /** Whether {@link #close()} ran. */
  public boolean isClosed() {
    return closed.get();
  }

  /** The transport of the nodes these resources can run. */
  Transport transport() {
    return transport;
  }

  EventLoopGroup ioGroup() {
    return ioGroup;
  }

  FrpcClock clock() {
    return clock;
  }

  ExecutorService workers() {
    return workers;
  }

  ExecutorService callbacks() {
    return callbacks;
  }

  ExecutorService events() {
    return events;
  }

  ChannelGroup channels() {
    return channels;
  }

  /**
   * Closes the connections and listeners still open on the event loops, then stops the loops (waiting up to about 2
   * seconds each), the clock (when these resources created it) and the executors. Close the nodes that use them first:
   * a node still running loses its connections without a goodbye, as a process that is killed does.
   * Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Netty closes a loop's channels as it shuts down, unless the shutdown begins between the loop's check for it
    // and the end of that turn: it then ends with them open, and a peer sees them close only when it next writes
    // (with a quiet period of 0, and about one in ten in-JVM shutdowns here). So they are closed first, and a loop's
    // own are closed once more on its thread as it stops (connections that came up meanwhile).
    channels.close().awaitUninterruptibly(CHANNELS_CLOSE_MILLIS);
    for (EventExecutor loop : ioGroup) {
      ((SingleThreadEventExecutor) loop).addShutdownHook(() -> {
        for (Channel channel : channels) {
          if (channel.eventLoop() == loop) {
            channel.close();
          }
        }
        if (transport == Transport.IN_JVM) {
          // A local channel tells its peer's event loop when it closes, also when the peer closed first: nodes still
          // running answer the last closes of these loops' connections. Each loop lingers once it has closed its
          // channels, taking the answers in; a terminated loop would reject (and Netty log) each one. Netty's own
          // quiet period checks only every 100 ms.
          linger();
        }
      });
    }
    ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    if (ownClock != null) {
      ownClock.close();
    }
    events.shutdown();
    callbacks.shutdown();
    workers.shutdown();
  }

  private static void linger() {
    try {
      TimeUnit.MILLISECONDS.sleep(IN_JVM_LINGER_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FrpcResources[" + label + ", " + ioThreads + " I/O threads" + (isClosed() ? ", closed]" : "]");
  }

  /** Settings of shared resources. */
  public static final class Builder {

    private String label = "shared";
    private int ioThreads = FrpcNode.DEFAULT_IO_THREADS;
    private Transport transport = FrpcNode.DEFAULT_TRANSPORT;

    private Builder() {
    }

    /** Names the threads ({@code frpc-io-<label>-*}, {@code frpc-worker-<label>-*}, ...); {@code shared} by default. */
    public Builder label(String label) {
      this.label = Objects.requireNonNull(label, "label");
      return this;
    }

    /**
     * I/O event loops shared by the nodes ({@link FrpcNode#DEFAULT_IO_THREADS} by default: 0 means min(4,
     * available processors)).
     */
    public Builder ioThreads(int threads) {
      this.ioThreads = threads;
      return this;
    }

    /**
     * The transport of the nodes that will share these resources ({@link FrpcNode#DEFAULT_TRANSPORT} by default):
     * the event loops of one transport cannot run the channels of another, so a node of another transport refuses
     * them.
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Creates the threads and the clock; the caller owns them and closes them. */
    public FrpcResources build() {
      return new FrpcResources(label, ioThreads, null, transport);
    }
  }
}
