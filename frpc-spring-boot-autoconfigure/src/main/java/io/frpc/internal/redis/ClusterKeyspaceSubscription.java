package io.frpc.internal.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.Disposable;

/**
 * Keyspace notifications of every master of a Redis Cluster. Redis publishes a key's notifications only on the
 * node that holds it, so the patterns are subscribed on each master, over one connection per master. The set
 * follows the topology Lettuce refreshes (see {@link DiscoveryConnections}), as each change is published and
 * every few seconds: a promoted replica or an added master is subscribed when the change is seen, a demoted
 * master is unsubscribed, and notifications a replica relays are ignored. Each node connection re-subscribes by itself after a reconnection.
 */
final class ClusterKeyspaceSubscription implements KeyspaceSubscription {

  private static final Logger log = LoggerFactory.getLogger(ClusterKeyspaceSubscription.class);
  private static final long RETRY_MILLIS = 500;
  private static final long CHECK_SECONDS = 5;

  private final RedisClusterClient client;
  private final String[] patterns;
  private final Listener listener;
  /** Node ids of the masters the patterns were (or are being) requested on. */
  private final Set<String> asked = ConcurrentHashMap.newKeySet();
  /** The node connections the patterns were requested on, by node id. */
  private final Map<String, StatefulRedisPubSubConnection<String, String>> requested = new ConcurrentHashMap<>();
  /** Node ids whose subscription Redis confirmed. */
  private final Map<String, Boolean> confirmed = new ConcurrentHashMap<>();
  private volatile StatefulRedisClusterPubSubConnection<String, String> connection;
  private volatile Disposable topologyChanges;
  private volatile Future<?> periodicCheck;
  private volatile boolean closed;

  ClusterKeyspaceSubscription(LettuceConnectionFactory connections, List<String> patterns, Listener listener) {
    this.client = (RedisClusterClient) connections.getRequiredNativeClient();
    this.patterns = patterns.toArray(String[]::new);
    this.listener = listener;
  }

  @Override
  public void start() {
    connection = client.connectPubSub(StringCodec.UTF8);
    connection.setNodeMessagePropagation(true);
    connection.addListener(new Relay());
    // Lettuce publishes a change before its connections see the new partitions: follow the event's view.
    topologyChanges = client.getResources().eventBus().get()
        .filter(ClusterTopologyChangedEvent.class::isInstance)
        .subscribe(change -> follow(((ClusterTopologyChangedEvent) change).after()));
    // and, in case a change went unseen, the connection's view now and then
    periodicCheck = client.getResources().eventExecutorGroup().scheduleWithFixedDelay(
        () -> follow(connection.getPartitions()), CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    follow(connection.getPartitions());
  }

  /** Subscribes on every master not subscribed yet and unsubscribes from nodes that are no longer masters. */
  private synchronized void follow(Iterable<RedisClusterNode> topology) {
    if (closed) {
      return;
    }
    for (RedisClusterNode node : topology) {
      String id = node.getNodeId();
      if (isLiveMaster(node)) {
        if (asked.add(id)) {
          subscribe(id);
        }
      } else if (asked.remove(id)) {
        StatefulRedisPubSubConnection<String, String> demoted = requested.remove(id);
        confirmed.remove(id);
        if (demoted != null && node.is(NodeFlag.REPLICA)) {
          demoted.async().punsubscribe(patterns);
        }
      }
    }
  }

  private void subscribe(String nodeId) {
    connection.getConnectionAsync(nodeId).thenCompose(node -> {
      requested.put(nodeId, node);
      return node.async().psubscribe(patterns);
    }).whenComplete((ignored, failure) -> {
      if (failure != null) {
        asked.remove(nodeId);
        requested.remove(nodeId);
        log.debug("Cannot subscribe to keyspace notifications on cluster node {} yet: {}", nodeId,
            failure.getMessage());
        if (!closed) {
          client.getResources().eventExecutorGroup().schedule(() -> follow(connection.getPartitions()), RETRY_MILLIS,
              TimeUnit.MILLISECONDS);
        }
      }
    });
  }

  private static boolean isLiveMaster(RedisClusterNode node) {
    return node.is(NodeFlag.UPSTREAM) && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.EVENTUAL_FAIL);
  }

  @Override
  public boolean isListening() {
    StatefulRedisClusterPubSubConnection<String, String> current = connection;
    if (current == null || closed) {
      return false;
    }
    for (RedisClusterNode node : current.getPartitions()) {
      if (isLiveMaster(node)) {
        StatefulRedisPubSubConnection<String, String> subscription = requested.get(node.getNodeId());
        if (subscription == null || !subscription.isOpen() || !confirmed.containsKey(node.getNodeId())) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (topologyChanges != null) {
      topologyChanges.dispose();
      periodicCheck.cancel(false);
    }
    if (connection != null) {
      connection.close();
    }
  }

  /** Hands on what masters publish; a replica relays its master's writes and is not listened to. */
  private final class Relay extends RedisClusterPubSubAdapter<String, String> {

    @Override
    public void message(RedisClusterNode node, String pattern, String channel, String message) {
      RedisClusterNode current = connection.getPartitions().getPartitionByNodeId(node.getNodeId());
      if (current != null && current.is(NodeFlag.UPSTREAM)) {
        listener.notification(channel, message);
      }
    }

    @Override
    public void psubscribed(RedisClusterNode node, String pattern, long count) {
      log.debug("Keyspace notifications {} subscribed on cluster node {} ({})", pattern, node.getNodeId(),
          node.getUri());
      confirmed.put(node.getNodeId(), Boolean.TRUE);
      listener.subscribed();
    }
  }
}
