package io.frpc.discovery.redis;

import io.frpc.internal.Backoff;
import io.frpc.time.FrpcClock;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.Disposable;

/**
 * Keyspace notifications of every master of a Redis Cluster. Redis publishes a key's notifications only on the
 * node that holds it, so the patterns are subscribed on each master, over one connection per master. The set
 * follows the topology Lettuce refreshes (see {@link DiscoveryConnections}), on each published change and every
 * few seconds: a promoted replica or an added master is subscribed, a master that is now a replica unsubscribed
 * (also one that crashed and came back as a replica), and what a replica relays is ignored. Each node
 * connection re-subscribes by itself after a reconnection.
 */
final class ClusterKeyspaceSubscription implements KeyspaceSubscription {

  private static final Logger log = LoggerFactory.getLogger(ClusterKeyspaceSubscription.class);
  /** Waits before following the topology again after a failure. */
  private static final Backoff RETRY = Backoff.fixed(Duration.ofMillis(500));
  private static final long CHECK_SECONDS = 5;

  private final RedisClusterClient client;
  private final String[] patterns;
  private final Listener listener;
  private final FrpcClock clock;
  /** Draws the retries' jitter; used under this object's monitor. */
  private final SplittableRandom random = new SplittableRandom();
  /** Node ids of the masters the patterns were (or are being) requested on. */
  private final Set<String> asked = ConcurrentHashMap.newKeySet();
  /** The node connections the patterns were requested on, by node id, until unsubscribed. */
  private final Map<String, StatefulRedisPubSubConnection<String, String>> requested = new ConcurrentHashMap<>();
  /** Node ids whose subscription Redis confirmed while they were masters. */
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private volatile StatefulRedisClusterPubSubConnection<String, String> connection;
  private volatile Disposable topologyChanges;
  private volatile FrpcClock.ScheduledTask periodicCheck;
  private volatile boolean closed;

  /** @param clock sets the timers of retries and of the periodic check, whose tasks run on Lettuce's executors */
  ClusterKeyspaceSubscription(LettuceConnectionFactory connections, List<String> patterns, Listener listener,
      FrpcClock clock) {
    this.client = (RedisClusterClient) connections.getRequiredNativeClient();
    this.patterns = patterns.toArray(String[]::new);
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public void start() {
    connection = client.connectPubSub(StringCodec.UTF8);
    connection.setNodeMessagePropagation(true);
    connection.addListener(new Relay());
    // Lettuce publishes a change just before it updates the connections' view: follow the event's.
    topologyChanges = client.getResources().eventBus().get()
        .filter(ClusterTopologyChangedEvent.class::isInstance)
        .subscribe(change -> follow(((ClusterTopologyChangedEvent) change).after()),
            error -> log.warn("Stopped following cluster topology changes; checking every {} s", CHECK_SECONDS,
                error));
    checkPeriodically();
    follow(connection.getPartitions());
  }

  /**
   * Subscribes on every master not subscribed yet and unsubscribes from replicas. Never throws: it runs from
   * Lettuce's event bus and a periodic task, which a thrown exception would end.
   */
  private synchronized void follow(Iterable<RedisClusterNode> topology) {
    if (closed) {
      return;
    }
    try {
      Set<String> present = new HashSet<>();
      for (RedisClusterNode node : topology) {
        String id = node.getNodeId();
        present.add(id);
        if (isLiveMaster(node)) {
          if (asked.add(id)) {
            subscribe(id);
          }
          continue;
        }
        asked.remove(id);
        confirmed.remove(id);
        // A failed master keeps its connection entry: once it is back as a replica it is unsubscribed here.
        if (node.is(NodeFlag.REPLICA) && !node.is(NodeFlag.FAIL)) {
          StatefulRedisPubSubConnection<String, String> replica = requested.remove(id);
          if (replica != null) {
            replica.async().punsubscribe(patterns);
          }
        }
      }
      // Nodes gone from the topology: Lettuce closes their connections; subscribe afresh should they return.
      asked.retainAll(present);
      confirmed.retainAll(present);
      requested.keySet().retainAll(present);
    } catch (RuntimeException e) {
      log.warn("Cannot follow the cluster topology: {}; retrying in {} ms", e.getMessage(), RETRY.initial().toMillis());
      retryLater();
    }
  }

  private void subscribe(String nodeId) {
    // Started from a completed future, so that a node Lettuce does not know yet fails the same way as one it
    // cannot reach: forgotten, and tried again shortly.
    CompletableFuture.completedFuture(nodeId).thenCompose(connection::getConnectionAsync).thenCompose(node -> {
      requested.put(nodeId, node);
      return node.async().psubscribe(patterns);
    }).whenComplete((ignored, failure) -> {
      if (failure != null) {
        asked.remove(nodeId);
        log.debug("Cannot subscribe to keyspace notifications on cluster node {} yet: {}", nodeId,
            failure.getMessage());
        retryLater();
      }
    });
  }

  private void retryLater() {
    if (!closed && retryScheduled.compareAndSet(false, true)) {
      long delay;
      synchronized (this) {
        delay = RETRY.delayNanos(1, random);
      }
      if (later(() -> {
        retryScheduled.set(false);
        follow(connection.getPartitions());
      }, delay, TimeUnit.NANOSECONDS) == null) {
        retryScheduled.set(false);
      }
    }
  }

  /** Follows the topology every few seconds besides its change events, which Lettuce may not publish for all. */
  private void checkPeriodically() {
    if (!closed) {
      periodicCheck = later(() -> {
        follow(connection.getPartitions());
        checkPeriodically();
      }, CHECK_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * Runs {@code task} on Lettuce's event executors once {@code delay} has passed on the node's clock (whose timer
   * thread only hands it over); {@code null} when the clock no longer sets timers (the node is closing).
   */
  private FrpcClock.ScheduledTask later(Runnable task, long delay, TimeUnit unit) {
    try {
      return clock.schedule(() -> {
        try {
          client.getResources().eventExecutorGroup().execute(task);
        } catch (RejectedExecutionException e) {
          // Lettuce's resources are shutting down: so is this subscription
        }
      }, delay, unit);
    } catch (RuntimeException e) {
      log.debug("Cannot follow the cluster topology later: {}", e.getMessage());
      return null;
    }
  }

  private static boolean isLiveMaster(RedisClusterNode node) {
    return node.is(NodeFlag.UPSTREAM) && !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.EVENTUAL_FAIL);
  }

  /** Whether {@code node} is one the patterns were requested on as a master, and still counts as one. */
  private boolean isWatchedMaster(RedisClusterNode node) {
    return node != null && asked.contains(node.getNodeId());
  }

  @Override
  public boolean isListening() {
    StatefulRedisClusterPubSubConnection<String, String> current = connection;
    if (current == null || closed) {
      return false;
    }
    for (RedisClusterNode node : current.getPartitions()) {
      if (isLiveMaster(node) && !isSubscribed(node)) {
        return false;
      }
    }
    return true;
  }

  private boolean isSubscribed(RedisClusterNode node) {
    StatefulRedisPubSubConnection<String, String> subscription = requested.get(node.getNodeId());
    return subscription != null && subscription.isOpen() && confirmed.contains(node.getNodeId());
  }

  @Override
  public String coverage() {
    StatefulRedisClusterPubSubConnection<String, String> current = connection;
    if (current == null) {
      return null;
    }
    int masters = 0;
    int subscribed = 0;
    for (RedisClusterNode node : current.getPartitions()) {
      if (isLiveMaster(node)) {
        masters++;
        subscribed += isSubscribed(node) ? 1 : 0;
      }
    }
    return subscribed + " of " + masters + " masters";
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (topologyChanges != null) {
      topologyChanges.dispose();
    }
    if (periodicCheck != null) {
      periodicCheck.cancel();
    }
    if (connection != null) {
      connection.close();
    }
  }

  /** Hands on what masters publish; a replica relays its master's writes and is not listened to. */
  private final class Relay extends RedisClusterPubSubAdapter<String, String> {

    @Override
    public void message(RedisClusterNode node, String pattern, String channel, String message) {
      if (isWatchedMaster(node)) {
        listener.notification(channel, message);
      }
    }

    @Override
    public void psubscribed(RedisClusterNode node, String pattern, long count) {
      if (isWatchedMaster(node)) {
        log.debug("Keyspace notifications {} subscribed on cluster node {} ({})", pattern, node.getNodeId(),
            node.getUri());
        confirmed.add(node.getNodeId());
        listener.subscribed();
      }
    }
  }
}
