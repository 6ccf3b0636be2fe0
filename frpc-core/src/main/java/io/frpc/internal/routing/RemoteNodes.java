package io.frpc.internal.routing;

import io.frpc.AuthenticationException;
import io.frpc.FrpcException;
import io.frpc.NoNodeConnectedException;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.internal.Backoff;
import io.frpc.internal.transport.ClientConnector;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.internal.transport.TransportResources;
import io.frpc.status.RemoteNodeStatus;
import io.frpc.time.FrpcClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling side of a node: keeps one connection to every discovered node, knows which are usable,
 * and tells {@link NodeListener}s about every transition.
 */
public final class RemoteNodes implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RemoteNodes.class);

  private final ClientSettings settings;
  private final ClientConnector connector;
  private final TransportResources resources;
  private final Map<NodeId, NodeLink> links = new ConcurrentHashMap<>();
  private final Map<String, NodeGroup> groups = new ConcurrentHashMap<>();
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
  private final Function<String, String> unknownNames;
  private final ConnectionObserver observer;
  private final Backoff reconnectBackoff;
  /** Why the last connection attempt to a node failed, while it is not connected; one entry per link at most. */
  private final Map<NodeId, Throwable> lastFailures = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param unknownNames why a node name can never be discovered, or {@code null} when it may be
   * @param observer     told about every connection that comes into use or goes, before node listeners
   */
  public RemoteNodes(ClientSettings settings, ClientConnector connector, TransportResources resources,
      Function<String, String> unknownNames, ConnectionObserver observer) {
    this.settings = settings;
    this.connector = connector;
    this.resources = resources;
    this.unknownNames = unknownNames;
    this.observer = observer;
    this.reconnectBackoff = Reconnects.backoff(settings);
  }

  /** Adds a listener for node transitions from now on. */
  public void addListener(NodeListener listener) {
    listeners.add(listener);
  }

  /** Discovery reports the node reachable at {@code host:port}; a new node is connected. */
  public void nodeAvailable(NodeId node, String host, int port) {
    if (closed) {
      return;
    }
    NodeLink created = new NodeLink(node, host, port, this);
    NodeLink existing = links.putIfAbsent(node, created);
    if (existing == null) {
      created.start();
    } else {
      existing.moveTo(host, port);
    }
  }

  /** Discovery reports the node gone; its connection is closed. */
  public void nodeUnavailable(NodeId node, NodeDownReason reason) {
    lastFailures.remove(node);
    NodeLink link = links.remove(node);
    if (link != null) {
      link.remove(reason);
    }
  }

  /** Whether the connection to {@code node} answers a heartbeat within {@code timeout}. */
  public CompletableFuture<Boolean> probe(NodeId node, Duration timeout) {
    NodeLink link = links.get(node);
    OutgoingConnection connection = link == null ? null : link.connection();
    if (connection == null || !connection.isOpen()) {
      return CompletableFuture.completedFuture(false);
    }
    return connection.ping(timeout);
  }

  /** Whether at least one node of {@code name} is connected. */
  public boolean isActive(String name) {
    NodeGroup group = groups.get(name);
    return group != null && group.all().length > 0;
  }

  /** Whether node {@code name:id} is connected. */
  public boolean isActive(String name, int id) {
    NodeGroup group = groups.get(name);
    return group != null && group.byId(id) != null;
  }

  /** Ids of the connected nodes of {@code name}, ascending. */
  public SortedSet<Integer> activeNodeIds(String name) {
    TreeSet<Integer> ids = new TreeSet<>();
    NodeGroup group = groups.get(name);
    if (group != null) {
      for (OutgoingConnection connection : group.all()) {
        ids.add(connection.node().id().id());
      }
    }
    return Collections.unmodifiableSortedSet(ids);
  }

  /** Every connected node with its connection, for diagnostics. */
  public List<OutgoingConnection> activeConnections() {
    List<OutgoingConnection> result = new ArrayList<>();
    groups.values().forEach(group -> result.addAll(List.of(group.all())));
    result.sort((a, b) -> a.node().id().compareTo(b.node().id()));
    return result;
  }

  /** Every node discovery reported, with the address it is kept connected to. */
  public Map<NodeId, String> knownNodes() {
    Map<NodeId, String> result = new TreeMap<>();
    links.forEach((id, link) -> result.put(id, link.address()));
    return result;
  }

  /** Every node discovery reported, with its connection state, in id order. */
  public List<RemoteNodeStatus> status() {
    List<RemoteNodeStatus> result = new ArrayList<>();
    new TreeMap<>(links).forEach((id, link) -> {
      Throwable failure = lastFailures.get(id);
      result.add(link.status(failure == null ? null : String.valueOf(failure.getMessage())));
    });
    return result;
  }

  /** Closes every connection; no node events are published for it. */
  @Override
  public void close() {
    closed = true;
    for (NodeId id : List.copyOf(links.keySet())) {
      nodeUnavailable(id, NodeDownReason.SHUTDOWN);
    }
  }

  /**
   * Records why an attempt to connect to {@code node} failed, or ({@code null}) that it succeeded. Callers
   * waiting for a node that refused authentication (or for any node of its name, when every one refused)
   * learn why at once.
   */
  void attempted(NodeId node, Throwable failure) {
    if (failure == null) {
      lastFailures.remove(node);
      return;
    }
    lastFailures.merge(node, failure, (previous, latest) -> previous instanceof ShutDown ? new ShutDown(latest)
        : latest);
    if (failure instanceof AuthenticationException denied) {
      group(node.name()).fail(node.id(), authenticationFailure(node.name(), null) != null, denied,
          resources.callbacks());
    }
  }

  /** Why the last attempt to connect to node {@code id} (any node of {@code name} when null) failed, or null. */
  String lastFailure(String name, Integer id) {
    Throwable failure = id != null ? lastFailures.get(new NodeId(name, id)) : lastFailures.entrySet().stream()
        .filter(e -> e.getKey().name().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    return failure == null ? null : String.valueOf(failure.getMessage());
  }

  /**
   * Why calls to node {@code id} of {@code name} (any node when {@code id} is null) cannot be served: the
   * authentication failure of that node, or of every known node of the name; {@code null} otherwise.
   */
  AuthenticationException authenticationFailure(String name, Integer id) {
    if (id != null) {
      return lastFailures.get(new NodeId(name, id)) instanceof AuthenticationException denied ? denied : null;
    }
    AuthenticationException any = null;
    for (NodeId known : links.keySet()) {
      if (known.name().equals(name)) {
        if (!(lastFailures.get(known) instanceof AuthenticationException denied)) {
          return null;
        }
        any = denied;
      }
    }
    return any;
  }

  /**
   * Why a call to node {@code id} of {@code name} fails at once: the node announced its graceful shutdown and
   * has not come back; {@code null} otherwise (also for calls to any node of a name).
   */
  NoNodeConnectedException shutDown(String name, Integer id) {
    if (id == null || !(lastFailures.get(new NodeId(name, id)) instanceof ShutDown down)
        || group(name).byId(id) != null) {
      return null;
    }
    return new NoNodeConnectedException(name, id, Duration.ZERO, down.getMessage() + "; calls to it fail at once "
        + "until it is back (its NodeUpEvent, or isActive(name, id))");
  }

  String explainUnknownName(String name) {
    return unknownNames.apply(name);
  }

  NodeGroup group(String name) {
    return groups.computeIfAbsent(name, key -> new NodeGroup(key, resources.clock()));
  }

  ClientSettings settings() {
    return settings;
  }

  ClientConnector connector() {
    return connector;
  }

  FrpcClock clock() {
    return resources.clock();
  }

  /** The retries of one link, with a jitter source of its own. */
  Reconnects reconnects() {
    return new Reconnects(reconnectBackoff, resources.clock(), RandomGenerator.getDefault());
  }

  Executor callbacks() {
    return resources.callbacks();
  }

  /**
   * Fails a blocking call made on one of this node's I/O threads: it would wait for a reply that thread may
   * have to read, and every connection of that thread would stall meanwhile.
   */
  void checkMayBlock() {
    if (resources.inIoThread()) {
      throw new IllegalStateException("a blocking frpc call on an I/O thread (" + Thread.currentThread().getName()
          + ") would wait for a reply that thread has to read: use callAsync there (non-blocking handlers and "
          + "continuations of frpc.client.direct-completion run on I/O threads)");
    }
  }

  void activated(OutgoingConnection connection) {
    RemoteNode node = connection.node();
    log.info("Connected to node {} at {}", node.id(), node.address());
    group(node.id().name()).add(connection, resources.callbacks());
    observer.connected(connection);
    publish(listener -> listener.nodeUp(node));
  }

  /** {@code connection}'s node announced its graceful shutdown: it is down for callers from now on. */
  void shuttingDown(OutgoingConnection connection) {
    lastFailures.put(connection.node().id(), new ShutDown(null));
    deactivated(connection, NodeDownReason.SHUTDOWN);
  }

  void deactivated(OutgoingConnection connection, NodeDownReason reason) {
    RemoteNode node = connection.node();
    group(node.id().name()).remove(connection);
    observer.disconnected(connection, reason);
    if (reason == NodeDownReason.CONNECTION_LOST) {
      log.warn("Lost connection to node {} at {}", node.id(), node.address());
    } else {
      log.info("Node {} at {} is down: {}", node.id(), node.address(), reason);
    }
    publish(listener -> listener.nodeDown(node, reason));
  }

  private void publish(Consumer<NodeListener> event) {
    if (closed) {
      return;
    }
    try {
      resources.events().execute(() -> {
        for (NodeListener listener : listeners) {
          try {
            event.accept(listener);
          } catch (RuntimeException e) {
            log.warn("Node listener {} failed", listener, e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("Node event dropped: the node is shutting down");
    }
  }

  /** Follows the connections in use, e.g. to keep subscriptions made on them. */
  public interface ConnectionObserver {

    /** {@code connection} is in use from now on. */
    void connected(OutgoingConnection connection);

    /** {@code connection} is no longer used, for {@code reason}. */
    void disconnected(OutgoingConnection connection, NodeDownReason reason);
  }

  /** Why a node that announced its graceful shutdown cannot be called (until it reconnects). */
  private static final class ShutDown extends FrpcException {
    ShutDown(Throwable reconnect) {
      super("it announced a graceful shutdown" + (reconnect == null ? ""
          : "; reconnecting since failed: " + reconnect.getMessage()));
    }
  }
}
