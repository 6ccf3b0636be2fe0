package io.frpc.discovery.redis;

import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.DiscoveryHealth;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.internal.Names;
import io.frpc.internal.protocol.FrameType;
import io.frpc.time.FrpcClock;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery through Redis: registers this node (when it serves) and watches the configured node names.
 * Neither blocks start-up; both heal when Redis becomes reachable.
 *
 * <pre>{@code
 * FrpcNode lobby = FrpcNode.builder("lobby", 1)
 *     .discovery(RedisNodeDiscovery.builder(redisConnections).watch("game").build())
 *     .build();
 * }</pre>
 *
 * <p>Each serving node writes {@code {keyPrefix}:rpc:{name}:{id}} with a short TTL and renews it every refresh
 * interval; watchers follow the keyspace notifications of the names they watch and list the keys now and then.
 * Discovery opens Redis connections of its own, modelled on the given factory (server, TLS, credentials), and
 * reads the time and sets its timers on the node's clock ({@link DiscoveryContext#clock()}).
 */
public final class RedisNodeDiscovery implements NodeDiscovery {

  /** Where this node's registration stands. */
  public enum RegistrationState {
    /** Not registered yet: the first claim has not been answered. */
    STARTING,
    /** The key holds this process's registration and is renewed. */
    REGISTERED,
    /** Another process holds the key: this node is not registered and gets no discovered traffic. */
    CONFLICT,
    /** Redis did not answer the last refresh; calls between connected nodes continue. */
    REDIS_UNAVAILABLE,
    /** Deregistered: discovery was closed. */
    STOPPED
  }

  private final RedisDiscoverySettings settings;
  private final String advertisedHost;
  private final boolean listenerTls;
  private final boolean callsOverTls;
  /** The watched names, as {@link #nodeNames()} hands them out (asked on every health check). */
  private final Set<String> nodeNames;
  private final RedisConnectionFactory applicationConnections;
  private final JsonMapper json = JsonMapper.builder().build();
  private DiscoveryConnections connections;
  private ExecutorService registrarThread;
  private ExecutorService watcherThread;
  private RedisNodeRegistrar registrar;
  private KeyspaceNodeWatcher watcher;

  private RedisNodeDiscovery(Builder builder) {
    this.settings = builder.settings();
    this.advertisedHost = builder.advertisedHost;
    this.listenerTls = builder.listenerTls;
    this.callsOverTls = builder.callsOverTls;
    this.nodeNames = Set.copyOf(settings.watch());
    this.applicationConnections = builder.connections;
  }

  /**
   * A builder of discovery over the Redis that {@code connections} reach (standalone, Sentinel or Cluster; with
   * Lettuce, discovery uses connections of its own with the same settings).
   */
  public static Builder builder(RedisConnectionFactory connections) {
    return new Builder(Objects.requireNonNull(connections, "connections"));
  }

  /**
   * The host a node listening on {@code listenHost} registers when no advertised host is given: the listen
   * address itself, else (listening on all interfaces) a site-local IPv4 address of an interface that is up, else
   * this host name's address.
   *
   * @throws io.frpc.FrpcConfigurationException when this machine's address cannot be determined
   */
  public static String advertisedHost(String listenHost) {
    return AdvertisedHost.of(new InetSocketAddress(listenHost, 0).getAddress());
  }

  @Override
  public synchronized void start(DiscoveryContext context) {
    FrpcClock clock = context.clock();
    connections = DiscoveryConnections.basedOn(applicationConnections, settings.commandTimeout());
    RedisConnectionFactory connectionFactory = connections.factory();
    StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
    if (!settings.watch().isEmpty()) {
      KeyspaceEventsConfigurer keyspaceEvents = new KeyspaceEventsConfigurer(redis,
          settings.configureKeyspaceEvents());
      watcherThread = Executors.newSingleThreadExecutor(new DefaultThreadFactory("frpc-redis-watcher", true));
      watcher = new KeyspaceNodeWatcher(settings, redis, connectionFactory, keyspaceEvents, context,
          new RegistrationCodec(json, context.registrationSignatures()), watcherThread, callsOverTls);
      watcher.start();
    }
    InetSocketAddress listening = context.listenAddress();
    if (settings.register() && listening != null) {
      String host = advertisedHost != null ? advertisedHost : AdvertisedHost.of(listening.getAddress());
      NodeRegistration registration = new NodeRegistration(host, listening.getPort(), listenerTls,
          FrameType.PROTOCOL_VERSION, context.localNode().bootId(), clock.currentTimeMillis());
      registrarThread = Executors.newSingleThreadExecutor(new DefaultThreadFactory("frpc-redis-registrar", true));
      registrar = new RedisNodeRegistrar(context.localNode().id(), registration, settings,
          new RedisRegistrationStore(redis), new RegistrationCodec(json, context.registrationSignatures()), clock,
          registrarThread);
      registrar.start();
    }
  }

  /** Lets a task that is reading Redis finish before the connections it uses close. */
  private static void awaitTermination(ExecutorService thread) {
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
    RegistrationState registration = registrar == null ? null : registrar.state();
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
        && (registration == null || registration == RegistrationState.REGISTERED), details);
  }

  /** Where this node's registration stands, or {@code null} when it does not register (or has not started). */
  public synchronized RegistrationState registrationState() {
    return registrar == null ? null : registrar.state();
  }

  /** The discovery settings. */
  public RedisDiscoverySettings settings() {
    return settings;
  }

  /**
   * Builds a {@link RedisNodeDiscovery}: the settings (every one has a {@code DEFAULT_*} in
   * {@link RedisDiscoverySettings}), the names to watch, and how this node registers.
   */
  public static final class Builder {

    private final RedisConnectionFactory connections;
    private String keyPrefix = RedisDiscoverySettings.DEFAULT_KEY_PREFIX;
    private Duration ttl = RedisDiscoverySettings.DEFAULT_TTL;
    private Duration refreshInterval = RedisDiscoverySettings.DEFAULT_REFRESH_INTERVAL;
    private Duration resyncInterval = RedisDiscoverySettings.DEFAULT_RESYNC_INTERVAL;
    private List<String> watch = List.of();
    private boolean configureKeyspaceEvents = RedisDiscoverySettings.DEFAULT_CONFIGURE_KEYSPACE_EVENTS;
    private int database = RedisDiscoverySettings.DEFAULT_DATABASE;
    private int maxNodesPerName = RedisDiscoverySettings.DEFAULT_MAX_NODES_PER_NAME;
    private boolean register = RedisDiscoverySettings.DEFAULT_REGISTER;
    private String advertisedHost;
    private boolean listenerTls;
    private boolean callsOverTls;

    private Builder(RedisConnectionFactory connections) {
      this.connections = connections;
    }

    /** Takes every setting from {@code settings}. */
    public Builder settings(RedisDiscoverySettings settings) {
      return keyPrefix(settings.keyPrefix()).ttl(settings.ttl()).refreshInterval(settings.refreshInterval())
          .resyncInterval(settings.resyncInterval()).watch(settings.watch())
          .configureKeyspaceEvents(settings.configureKeyspaceEvents()).database(settings.database())
          .maxNodesPerName(settings.maxNodesPerName()).register(settings.register());
    }

    /** First segment of every registration key: keys are {@code {prefix}:rpc:{name}:{id}}. */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = prefix;
      return this;
    }

    /** Time to live of a registration: a node that stops refreshing it leaves every view after this. */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** How often a node refreshes its registration; shorter than the {@link #ttl(Duration) TTL}. */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** How often watchers list the registrations (SCAN) to heal notifications lost in transit. */
    public Builder resyncInterval(Duration interval) {
      this.resyncInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** The node names this node calls, and therefore watches. */
    public Builder watch(String... names) {
      return watch(List.of(names));
    }

    /** The node names this node calls, and therefore watches. */
    public Builder watch(Collection<String> names) {
      this.watch = List.copyOf(names);
      return this;
    }

    /** Whether to add the flags discovery needs (K, g, $, x) to Redis's notify-keyspace-events. */
    public Builder configureKeyspaceEvents(boolean configure) {
      this.configureKeyspaceEvents = configure;
      return this;
    }

    /** The Redis database the connections use, whose keyspace notifications are followed. */
    public Builder database(int database) {
      this.database = database;
      return this;
    }

    /** Registrations a watcher follows per watched name at most; keys past it are neither read nor connected to. */
    public Builder maxNodesPerName(int max) {
      this.maxNodesPerName = max;
      return this;
    }

    /** Whether this node registers itself when it serves. */
    public Builder register(boolean register) {
      this.register = register;
      return this;
    }

    /**
     * The host other nodes connect to, registered with the listener's port; unset (or {@code null}): the listen
     * address, or an address of this machine when the node listens on all interfaces (see
     * {@link RedisNodeDiscovery#advertisedHost(String)}).
     */
    public Builder advertisedHost(String host) {
      this.advertisedHost = host;
      return this;
    }

    /** Whether this node's listener speaks TLS, as its registration says. Defaults to {@code false}. */
    public Builder listenerTls(boolean tls) {
      this.listenerTls = tls;
      return this;
    }

    /** Whether this node calls others over TLS, to name a mismatch with a registration. Defaults to {@code false}. */
    public Builder callsOverTls(boolean tls) {
      this.callsOverTls = tls;
      return this;
    }

    private RedisDiscoverySettings settings() {
      return new RedisDiscoverySettings(keyPrefix, ttl, refreshInterval, resyncInterval, watch,
          configureKeyspaceEvents, database, maxNodesPerName, register);
    }

    /**
     * The discovery, to hand to {@code FrpcNode.Builder.discovery}; it starts with the node.
     *
     * @throws IllegalArgumentException when a setting is out of range (a TTL not longer than the refresh interval, a
     *                                  watched name outside the rule of node names, ...)
     */
    public RedisNodeDiscovery build() {
      return new RedisNodeDiscovery(this);
    }
  }
}
