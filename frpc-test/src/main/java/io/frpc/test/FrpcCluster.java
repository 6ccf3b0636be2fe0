package io.frpc.test;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.NodeId;
import io.frpc.Transport;
import io.frpc.discovery.DiscoveryContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cluster of frpc nodes in the test's JVM, as a JUnit 5 extension: start nodes with the handlers they serve,
 * and each one is connected to every other before {@link NodeBuilder#start()} returns. By default the nodes talk
 * over the {@link Transport#IN_JVM in-JVM transport} (no ports; the same frames, handshake and security as TCP);
 * {@link Builder#transport(Transport) TCP on loopback} is one setting away.
 * <pre>{@code
 * @RegisterExtension
 * final FrpcCluster cluster = FrpcCluster.create();
 *
 * @Test
 * void lobbyJoinsARoom() {
 *   cluster.node("game", 1).handler("room_m", new RoomModule()).start();
 *   ClusterNode lobby = cluster.node("lobby", 1).start();
 *   assertThat(lobby.template().module("game", "room_m").call("join", RoomView.class, 42L, "alice")).isNotNull();
 * }
 * }</pre>
 * Every node still running is closed after each test (a field per test instance), or after all tests of the class
 * with {@link Builder#closeAfterAll()} (a static field). Nothing is static: several clusters may run in one JVM, as
 * long as no two in-JVM nodes running at once share a name and id.
 */
public final class FrpcCluster implements AfterEachCallback, AfterAllCallback, AutoCloseable {

  /** How long {@link ClusterNode#awaitUp} and {@link ClusterNode#awaitDown} wait by default: 10 s. */
  public static final Duration DEFAULT_AWAIT_TIMEOUT = Duration.ofSeconds(10);

  /** How long a graceful stop lets requests finish unless the node's settings say otherwise: 2 s. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final Transport transport;
  private final boolean closeAfterAll;
  private final Duration awaitTimeout;
  private final Consumer<FrpcNode.Builder> settings;
  private final Consumer<ClusterNode> whenStarted;
  /** Every node started, by identity: the latest of each. Guarded by this cluster's monitor. */
  private final Map<NodeId, ClusterNode> members = new LinkedHashMap<>();

  private FrpcCluster(Builder builder) {
    this.transport = builder.transport;
    this.closeAfterAll = builder.closeAfterAll;
    this.awaitTimeout = builder.awaitTimeout;
    this.settings = builder.settings;
    this.whenStarted = builder.whenStarted;
  }

  /** A cluster on the in-JVM transport, closed after each test. */
  public static FrpcCluster create() {
    return builder().build();
  }

  /** Starts configuring a cluster. */
  public static Builder builder() {
    return new Builder();
  }

  /** What the nodes' connections travel on. */
  public Transport transport() {
    return transport;
  }

  /** Starts describing node {@code name:id}; {@link NodeBuilder#start()} starts it. */
  public NodeBuilder node(String name, int id) {
    return new NodeBuilder(name, id);
  }

  /**
   * Starts describing a stub of node {@code name:id}: modules whose commands answer given values or throw given
   * errors, so a caller can be tested without the real handlers.
   */
  public FrpcStub stub(String name, int id) {
    return new FrpcStub(node(name, id));
  }

  /**
   * The node {@code name:id} started last.
   *
   * @throws IllegalArgumentException when no node of that name and id was started
   */
  public synchronized ClusterNode get(String name, int id) {
    ClusterNode member = members.get(new NodeId(name, id));
    if (member == null) {
      throw new IllegalArgumentException("this cluster has no node " + name + ":" + id + " (it has "
          + members.keySet() + ")");
    }
    return member;
  }

  /** The nodes running now, in the order they started. */
  public synchronized List<ClusterNode> nodes() {
    return members.values().stream().filter(ClusterNode::isRunning).toList();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!closeAfterAll) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * Stops every running node gracefully, all at once, and waits until they are closed, then closes their threads. The
   * cluster stays usable: nodes started afterwards belong to it as before.
   *
   * @throws RuntimeException the first failure of a node's shutdown, after every node was closed
   */
  @Override
  public void close() {
    List<ClusterNode> running = nodes();
    List<CompletableFuture<Void>> closings = running.stream().map(ClusterNode::closing).toList();
    CompletableFuture.allOf(closings.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
    RuntimeException failure = null;
    for (ClusterNode member : running) {
      try {
        ClusterNode.join(member.drain());
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Builds and registers a node about to start; it replaces a stopped or killed one of the same identity. */
  private synchronized ClusterNode register(NodeId id, FrpcNode.Builder builder) {
    ClusterNode previous = members.get(id);
    if (previous != null && previous.isRunning()) {
      throw new IllegalStateException("this cluster already runs node " + id + "; stop or kill it first");
    }
    ClusterNode member = new ClusterNode(this, id, builder, transport, awaitTimeout);
    members.put(id, member);
    return member;
  }

  /** Node {@code member} has started: it and every other running member learn of each other. */
  synchronized void joined(ClusterNode member, DiscoveryContext context) {
    for (ClusterNode other : members.values()) {
      if (other != member && other.isRunning()) {
        report(other, context);
        report(member, other.discovery().context());
      }
    }
  }

  /** Tells {@code to} where {@code node} listens, when it does. */
  private static void report(ClusterNode node, DiscoveryContext to) {
    InetSocketAddress address = node.node().listenAddress();
    if (address != null && to != null) {
      to.nodeAvailable(node.id(), address.getHostString(), address.getPort());
    }
  }

  /** Settings of a cluster. */
  public static final class Builder {

    private Transport transport = Transport.IN_JVM;
    private boolean closeAfterAll;
    private Duration awaitTimeout = DEFAULT_AWAIT_TIMEOUT;
    private Consumer<FrpcNode.Builder> settings = node -> { };
    private Consumer<ClusterNode> whenStarted = node -> { };

    private Builder() {
    }

    /**
     * What the nodes' connections travel on: {@link Transport#IN_JVM} (the default), or {@link Transport#TCP} on
     * loopback ({@code 127.0.0.1}, a free port each).
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Closes the nodes after all tests of the class rather than after each: register the cluster in a static field. */
    public Builder closeAfterAll() {
      this.closeAfterAll = true;
      return this;
    }

    /**
     * How long {@link ClusterNode#awaitUp} and {@link ClusterNode#awaitDown} wait, and {@link NodeBuilder#start()}
     * for the connections ({@link #DEFAULT_AWAIT_TIMEOUT} by default).
     */
    public Builder awaitTimeout(Duration timeout) {
      this.awaitTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Settings of every node (a shared secret, timeouts, TLS, ...), applied before each node's own
     * {@link NodeBuilder#configure}; called again for each node.
     */
    public Builder nodes(Consumer<FrpcNode.Builder> settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Told of each node once it has started and is connected to the cluster, before {@link NodeBuilder#start()}
     * returns: to make it known to nodes outside the cluster, for example, and wait for their connections.
     */
    public Builder whenStarted(Consumer<ClusterNode> started) {
      this.whenStarted = Objects.requireNonNull(started, "started");
      return this;
    }

    /** The cluster; it starts no node yet. */
    public FrpcCluster build() {
      return new FrpcCluster(this);
    }
  }

  /** One node to start in the cluster: its handlers and settings. */
  public final class NodeBuilder {

    private final NodeId id;
    private final List<HandlerDefinition> handlers = new ArrayList<>();
    private final List<Consumer<FrpcNode.Builder>> configurations = new ArrayList<>();

    private NodeBuilder(String name, int id) {
      this.id = new NodeId(name, id);
    }

    /** Serves a group of handler instances. */
    public NodeBuilder handler(HandlerDefinition definition) {
      handlers.add(Objects.requireNonNull(definition, "definition"));
      return this;
    }

    /** Serves {@code handler}, one instance, as module {@code module}. */
    public NodeBuilder handler(String module, Object handler) {
      Objects.requireNonNull(handler, "handler");
      return handler(HandlerDefinition.of(module, null, 1, self -> handler));
    }

    /** Any other setting of this node, applied after the cluster's {@link Builder#nodes settings}. */
    public NodeBuilder configure(Consumer<FrpcNode.Builder> settings) {
      configurations.add(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Starts the node and waits until it is connected to every other running node that listens, and every other
     * running node to it (when it listens); then tells {@link Builder#whenStarted} of it.
     *
     * @throws IllegalStateException when this cluster runs a node of that name and id
     * @throws AssertionError        when the connections are not up within the await timeout
     * @throws io.frpc.FrpcConfigurationException when the node cannot start, e.g. another in-JVM node of that name
     *                                            and id runs in this JVM
     */
    public ClusterNode start() {
      FrpcNode.Builder builder = FrpcNode.builder(id.name(), id.id()).transport(transport)
          .shutdownTimeout(DEFAULT_SHUTDOWN_TIMEOUT);
      if (transport == Transport.TCP) {
        builder.listen("127.0.0.1", 0);
      }
      handlers.forEach(builder::handler);
      settings.accept(builder);
      configurations.forEach(configuration -> configuration.accept(builder));
      ClusterNode member = register(id, builder);
      member.start();
      List<ClusterNode> others = nodes().stream().filter(other -> other != member).toList();
      for (ClusterNode other : others) {
        if (other.node().serves()) {
          member.awaitUp(other.id().name(), other.id().id());
        }
        if (member.node().serves()) {
          other.awaitUp(id.name(), id.id());
        }
      }
      whenStarted.accept(member);
      return member;
    }
  }
}
