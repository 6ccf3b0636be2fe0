package io.frpc.spring.redis;

import io.frpc.NodeId;
import io.frpc.discovery.DiscoveredNodes;
import io.frpc.discovery.DiscoveryHealth;
import io.frpc.discovery.NodeDiscovery;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery through Redis: registers this node (when it serves) and watches the configured node names.
 * Neither blocks start-up; both heal when Redis becomes reachable.
 */
public final class RedisNodeDiscovery implements NodeDiscovery {

  private final NodeId self;
  private final Supplier<NodeRegistration> registration;
  private final RedisDiscoverySettings settings;
  private final StringRedisTemplate redis;
  private final RedisConnectionFactory connectionFactory;
  private final KeyspaceEventsConfigurer keyspaceEvents;
  private final JsonMapper json = JsonMapper.builder().build();
  private ScheduledExecutorService registrarThread;
  private ScheduledExecutorService watcherThread;
  private RedisNodeRegistrar registrar;
  private KeyspaceNodeWatcher watcher;

  /**
   * @param registration this node's registration, read once the listener is bound; {@code null} when
   *                     this node does not register
   */
  public RedisNodeDiscovery(NodeId self, Supplier<NodeRegistration> registration, RedisDiscoverySettings settings,
      RedisConnectionFactory connectionFactory) {
    this.self = self;
    this.registration = registration;
    this.settings = settings;
    this.connectionFactory = connectionFactory;
    this.redis = new StringRedisTemplate(connectionFactory);
    this.keyspaceEvents = new KeyspaceEventsConfigurer(redis, settings.configureKeyspaceEvents());
  }

  @Override
  public synchronized void start(DiscoveredNodes nodes) {
    if (!settings.watch().isEmpty()) {
      watcherThread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("frpc-redis-watcher", true));
      watcher = new KeyspaceNodeWatcher(settings, redis, connectionFactory, keyspaceEvents, nodes, json, watcherThread);
      watcher.start();
    }
    if (registration != null) {
      registrarThread = Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("frpc-redis-registrar", true));
      registrar = new RedisNodeRegistrar(self, registration.get(), settings, redis, json, registrarThread);
      registrar.start();
    }
  }

  /** Deregisters this node, then stops watching. */
  @Override
  public synchronized void close() {
    if (registrar != null) {
      registrar.close();
      registrarThread.shutdownNow();
      registrar = null;
    }
    if (watcher != null) {
      watcher.close();
      watcherThread.shutdownNow();
      watcher = null;
    }
  }

  /** Healthy when the watcher's subscription stands and this node, if it registers, is registered. */
  @Override
  public synchronized DiscoveryHealth health() {
    RedisNodeRegistrar.State registration = registrar == null ? null : registrar.state();
    boolean watching = watcher == null || watcher.isSynced();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("type", "redis");
    details.put("registration", registration == null ? "not registering" : registration.name());
    details.put("watching", watcher == null ? "nothing" : watching ? "subscribed" : "not subscribed");
    return new DiscoveryHealth(watching && (registration == null || registration == RedisNodeRegistrar.State.REGISTERED),
        details);
  }

  /** The registrar's state, or {@code null} when this node does not register. */
  public synchronized RedisNodeRegistrar.State registrationState() {
    return registrar == null ? null : registrar.state();
  }



  /** The discovery settings. */
  public RedisDiscoverySettings settings() {
    return settings;
  }
}
