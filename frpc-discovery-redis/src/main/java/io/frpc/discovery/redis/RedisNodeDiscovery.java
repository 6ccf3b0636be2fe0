package io.frpc.discovery.redis;

import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.DiscoveryHealth;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.internal.Names;
import io.frpc.internal.protocol.FrameType;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery through Redis: registers this node (when it serves) and watches the configured node names.
 * Neither blocks start-up; both heal when Redis becomes reachable.
 */
public final class RedisNodeDiscovery implements NodeDiscovery {

  private final String advertisedHost;
  private final boolean tls;
  private final boolean callsOverTls;
  private final RedisDiscoverySettings settings;
  /** The watched names, as {@link #nodeNames()} hands them out (asked on every health check). */
  private final Set<String> nodeNames;
  private final RedisConnectionFactory applicationConnections;
  private final JsonMapper json = JsonMapper.builder().build();
  private DiscoveryConnections connections;
  private ScheduledExecutorService registrarThread;
  private ScheduledExecutorService watcherThread;
  private RedisNodeRegistrar registrar;
  private KeyspaceNodeWatcher watcher;

  /**
   * @param advertisedHost         the host other nodes connect to, registered with the listener's port;
   *                               {@code null} when this node does not register
   * @param tls                    whether the listener speaks TLS, as registered
   * @param callsOverTls           whether this node calls others over TLS
   * @param applicationConnections the application's Redis connections, whose settings discovery copies
   */
  public RedisNodeDiscovery(String advertisedHost, boolean tls, boolean callsOverTls, RedisDiscoverySettings settings,
      RedisConnectionFactory applicationConnections) {
    this.advertisedHost = advertisedHost;
    this.tls = tls;
    this.callsOverTls = callsOverTls;
    this.settings = settings;
    this.nodeNames = Set.copyOf(settings.watch());
    this.applicationConnections = applicationConnections;
  }

  @Override
  public synchronized void start(DiscoveryContext context) {
    connections = DiscoveryConnections.basedOn(applicationConnections, settings.commandTimeout());
    RedisConnectionFactory connectionFactory = connections.factory();
    StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
    if (!settings.watch().isEmpty()) {
      KeyspaceEventsConfigurer keyspaceEvents = new KeyspaceEventsConfigurer(redis,
          settings.configureKeyspaceEvents());
      watcherThread = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("frpc-redis-watcher", true));
      watcher = new KeyspaceNodeWatcher(settings, redis, connectionFactory, keyspaceEvents, context, json,
          watcherThread, callsOverTls);
      watcher.start();
    }
    InetSocketAddress listening = context.listenAddress();
    if (advertisedHost != null && listening != null) {
      NodeRegistration registration = new NodeRegistration(advertisedHost, listening.getPort(), tls,
          FrameType.PROTOCOL_VERSION, context.localNode().bootId(), System.currentTimeMillis());
      registrarThread = Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("frpc-redis-registrar", true));
      registrar = new RedisNodeRegistrar(context.localNode().id(), registration, settings, redis, json,
          context.registrationSignatures(), registrarThread);
      registrar.start();
    }
  }

  /** Lets a task that is reading Redis finish before the connections it uses close. */
  private static void awaitTermination(ScheduledExecutorService thread) {
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String explainUnknownName(String nodeName) {
    if (settings.watch().contains(nodeName)) {
      return null;
    }
    return "frpc.discovery.redis.watch does not list it (it lists " + (settings.watch().isEmpty() ? "nothing"
        : String.join(", ", settings.watch())) + ")" + Names.didYouMean(nodeName, settings.watch())
        + "; add it to frpc.discovery.redis.watch";
  }

  @Override
  public Set<String> nodeNames() {
    return nodeNames;
  }

  /** Deregisters this node, then stops watching. */
  @Override
  public synchronized void close() {
    if (registrar != null) {
      registrar.close();
      registrarThread.shutdownNow();
      awaitTermination(registrarThread);
      registrar = null;
    }
    if (watcher != null) {
      watcher.close();
      watcherThread.shutdownNow();
      awaitTermination(watcherThread);
      watcher = null;
    }
    if (connections != null) {
      connections.close();
      connections = null;
    }
  }

  /**
   * Healthy when the watcher's subscription stands, Redis publishes the keyspace notifications it needs,
   * and this node, if it registers, is registered. Names with more keys than the watcher follows are named
   * ({@code capped}) without making it unhealthy.
   */
  @Override
  public synchronized DiscoveryHealth health() {
    RedisNodeRegistrar.State registration = registrar == null ? null : registrar.state();
    boolean watching = watcher == null || watcher.isSynced();
    boolean notifications = watcher == null || !Boolean.FALSE.equals(watcher.notificationsEnabled());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("type", "redis");
    details.put("registration", registration == null ? "not registering" : registration.name());
    String coverage = watcher == null ? null : watcher.coverage();
    details.put("watching", watcher == null ? "nothing" : (watching ? "subscribed" : "not subscribed")
        + (coverage == null ? "" : " (" + coverage + ")"));
    if (watcher != null) {
      details.put("keyspaceNotifications", notifications ? "on" : "off");
      String capped = watcher.capped();
      if (capped != null) {
        details.put("capped", capped);
      }
    }
    return new DiscoveryHealth(watching && notifications
        && (registration == null || registration == RedisNodeRegistrar.State.REGISTERED), details);
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
