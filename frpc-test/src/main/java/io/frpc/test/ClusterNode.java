package io.frpc.test;

import io.frpc.FrpcNode;
import io.frpc.FrpcResources;
import io.frpc.FrpcTemplate;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.Transport;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.pubsub.FrpcPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A node of an {@link FrpcCluster}: the {@link FrpcNode} itself, its {@link FrpcTemplate} and typed clients, the node
 * events it saw, and ways to end it as a test needs: {@link #stop()} (graceful), {@link #drain()} (graceful, without
 * waiting) or {@link #kill()} (abrupt, as a process killed with {@code kill -9}). Thread-safe.
 */
public final class ClusterNode {

  private enum State { NEW, RUNNING, STOPPING, STOPPED, KILLED }

  private final FrpcCluster cluster;
  private final NodeId id;
  private final Duration awaitTimeout;
  /** The node's own threads: closing them is what {@link #kill()} does. */
  private final FrpcResources resources;
  private final Membership discovery = new Membership();
  /** Guarded by its own monitor, which waiters wait on. */
  private final List<NodeEvent> events = new ArrayList<>();
  private final FrpcNode node;
  /** Guarded by this object's monitor. */
  private State state = State.NEW;
  private CompletableFuture<Void> closing;
  private CompletableFuture<Void> stopped;

  ClusterNode(FrpcCluster cluster, NodeId id, FrpcNode.Builder builder, Transport transport, Duration awaitTimeout) {
    this.cluster = cluster;
    this.id = id;
    this.awaitTimeout = awaitTimeout;
    this.resources = FrpcResources.builder().label(id.toString()).ioThreads(2).transport(transport).build();
    try {
      this.node = builder.resources(resources).discovery(discovery).listener(new Recorder()).build();
    } catch (RuntimeException | Error e) {
      resources.close();
      throw e;
    }
  }

  /** Starts the node; a node that cannot start is closed with its threads. */
  void start() {
    synchronized (this) {
      state = State.RUNNING;
    }
    try {
      node.start();
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        state = State.STOPPED;
      }
      resources.close();
      throw e;
    }
  }

  /** This node's name and id. */
  public NodeId id() {
    return id;
  }

  /** The node itself. */
  public FrpcNode node() {
    return node;
  }

  /** Calls other nodes of the cluster from this one. */
  public FrpcTemplate template() {
    return node.template();
  }

  /** A typed client of this node: see {@link FrpcTemplate#client(Class)}. */
  public <T> T client(Class<T> type) {
    return node.template().client(type);
  }

  /** Publishes on this node's channels. */
  public FrpcPublisher publisher() {
    return node.publisher();
  }

  /** Whether the node runs: started, and neither stopped, draining nor killed. */
  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  /** The node transitions this node saw so far, oldest first. */
  public List<NodeEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /**
   * Waits until node {@code name:id} is up as this node sees it: its latest event is {@link NodeEvent#isUp() up}.
   *
   * @throws AssertionError naming the events seen when it is not within the cluster's await timeout
   */
  public void awaitUp(String name, int id) {
    awaitLatest(new NodeId(name, id), true);
  }

  /**
   * Waits until node {@code name:id} is down as this node sees it: its latest event is a down event.
   *
   * @return why it went down
   * @throws AssertionError naming the events seen when it is not within the cluster's await timeout
   */
  public NodeDownReason awaitDown(String name, int id) {
    return awaitLatest(new NodeId(name, id), false).reason();
  }

  private NodeEvent awaitLatest(NodeId other, boolean up) {
    long deadline = System.nanoTime() + awaitTimeout.toNanos();
    synchronized (events) {
      while (true) {
        NodeEvent latest = null;
        for (NodeEvent event : events) {
          if (event.node().equals(other)) {
            latest = event;
          }
        }
        if (latest != null && latest.isUp() == up) {
          return latest;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(id + " did not see " + other + (up ? " up" : " down") + " within "
              + awaitTimeout.toMillis() + " ms; its events: " + events);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(id + " was interrupted waiting for " + other + (up ? " up" : " down"), e);
        }
      }
    }
  }

  /**
   * Stops the node gracefully and waits until it is closed with its threads: it tells the connected nodes it is
   * going away (they see {@link NodeDownReason#SHUTDOWN}), lets running requests finish, then closes.
   *
   * @throws RuntimeException a failure of the shutdown
   */
  public void stop() {
    join(drain());
  }

  /**
   * Starts stopping the node gracefully and returns at once, while it drains: connected nodes route no new calls
   * to it, and calls already on it finish. The future completes when the node is closed with its threads; every
   * call returns the same one.
   */
  public synchronized CompletableFuture<Void> drain() {
    if (stopped == null) {
      stopped = state == State.KILLED ? CompletableFuture.completedFuture(null)
          : closing().whenComplete((done, failure) -> {
            resources.close();
            synchronized (this) {
              state = State.STOPPED;
            }
          });
    }
    return stopped;
  }

  /**
   * Starts the node's graceful shutdown, once, and returns its future; its threads stay until {@link #drain()}. The
   * cluster closes all its nodes this way first, so no node's threads are gone while another still closes its
   * connections to it.
   */
  synchronized CompletableFuture<Void> closing() {
    if (closing == null) {
      state = State.STOPPING;
      closing = node.closeAsync();
    }
    return closing;
  }

  /**
   * Ends the node abruptly, as {@code kill -9} would end its process: its threads stop at once and its connections
   * close without announcing anything, so connected nodes see {@link NodeDownReason#CONNECTION_LOST}, and calls in
   * flight on it fail with a lost connection. A node of the same name and id may then be started again.
   */
  public void kill() {
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      state = State.KILLED;
    }
    resources.close();
  }

  Membership discovery() {
    return discovery;
  }

  @Override
  public String toString() {
    return "ClusterNode[" + id + "]";
  }

  static void join(CompletableFuture<Void> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a node stopped", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure ? failure : new CompletionException(e.getCause());
    }
  }

  /** Records this node's events and wakes the waiters. */
  private final class Recorder implements NodeListener {

    @Override
    public void nodeUp(RemoteNode remote) {
      record(NodeEvent.up(remote.id()));
    }

    @Override
    public void nodeDown(RemoteNode remote, NodeDownReason reason) {
      record(NodeEvent.down(remote.id(), reason));
    }

    private void record(NodeEvent event) {
      synchronized (events) {
        events.add(event);
        events.notifyAll();
      }
    }
  }

  /**
   * This node's discovery: the other members of the cluster, reported as they start. Members stay known after they
   * stop or are killed, like a static list, so this node reconnects when one of that name and id starts again.
   */
  final class Membership implements NodeDiscovery {

    private volatile DiscoveryContext context;

    @Override
    public void start(DiscoveryContext context) {
      this.context = context;
      cluster.joined(ClusterNode.this, context);
    }

    /** What this node's discovery reports to, or {@code null} before it started. */
    DiscoveryContext context() {
      return context;
    }

    @Override
    public void close() {
    }
  }
}
