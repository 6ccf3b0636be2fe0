package io.frpc.internal.routing;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.internal.transport.ClientConnector;
import io.frpc.internal.transport.NodeConnection;
import io.frpc.internal.transport.TransportResources;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.time.Duration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling side of a node: keeps one connection to every discovered node, knows which are usable,
 * and tells {@link NodeListener}s about every transition.
 */
public final class FrpcClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FrpcClient.class);

  private final ClientSettings settings;
  private final ClientConnector connector;
  private final TransportResources resources;
  private final Map<NodeId, NodeLink> links = new ConcurrentHashMap<>();
  private final Map<String, NodeGroup> groups = new ConcurrentHashMap<>();
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
  private final Function<String, String> unknownNames;
  private volatile boolean closed;

  /**
   * @param unknownNames why a node name can never be discovered, or {@code null} when it may be
   */
  public FrpcClient(ClientSettings settings, ClientConnector connector, TransportResources resources,
      Function<String, String> unknownNames) {
    this.settings = settings;
    this.connector = connector;
    this.resources = resources;
    this.unknownNames = unknownNames;
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
    NodeLink link = links.remove(node);
    if (link != null) {
      link.remove(reason);
    }
  }

  /** Whether the connection to {@code node} answers a heartbeat within {@code timeout}. */
  public CompletableFuture<Boolean> probe(NodeId node, Duration timeout) {
    NodeLink link = links.get(node);
    NodeConnection connection = link == null ? null : link.connection();
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
      for (NodeConnection connection : group.all()) {
        ids.add(connection.node().id().id());
      }
    }
    return Collections.unmodifiableSortedSet(ids);
  }

  /** Every connected node with its connection, for diagnostics. */
  public List<NodeConnection> activeConnections() {
    List<NodeConnection> result = new ArrayList<>();
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

  /** Closes every connection; no node events are published for it. */
  @Override
  public void close() {
    closed = true;
    for (NodeId id : List.copyOf(links.keySet())) {
      nodeUnavailable(id, NodeDownReason.SHUTDOWN);
    }
  }

  String explainUnknownName(String name) {
    return unknownNames.apply(name);
  }

  NodeGroup group(String name) {
    return groups.computeIfAbsent(name, NodeGroup::new);
  }

  ClientSettings settings() {
    return settings;
  }

  ClientConnector connector() {
    return connector;
  }

  Timer timer() {
    return resources.timer();
  }

  Executor callbacks() {
    return resources.callbacks();
  }

  void activated(NodeConnection connection) {
    RemoteNode node = connection.node();
    log.info("Connected to node {} at {}", node.id(), node.address());
    group(node.id().name()).add(connection, resources.callbacks());
    publish(listener -> listener.nodeUp(node));
  }

  void deactivated(NodeConnection connection, NodeDownReason reason) {
    RemoteNode node = connection.node();
    group(node.id().name()).remove(connection);
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
}
