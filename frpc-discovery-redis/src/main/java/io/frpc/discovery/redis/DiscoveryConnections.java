package io.frpc.discovery.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * The Redis connections discovery runs on. With Lettuce, a factory of frpc's own with the application's
 * server, TLS and credentials settings, but Lettuce resources that reconnect within half a second
 * (Lettuce's default backs off up to 30 s, and discovery must heal quickly after a Redis restart), commands that
 * fail at once while a connection is down and otherwise give up after a refresh interval (a renewal stuck on a
 * dead server for the default 60 s would keep the registration away long after a failover) and, on a Redis
 * Cluster, follow topology changes; the application's own client is left untouched. With any other client, the
 * application's factory.
 */
final class DiscoveryConnections implements AutoCloseable {

  /** Whether the Lettuce client is on the class path (the other client Spring Data Redis supports is Jedis). */
  static final boolean LETTUCE = ClassUtils.isPresent(
      "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
      DiscoveryConnections.class.getClassLoader());

  static final Duration TOPOLOGY_REFRESH_PERIOD = Duration.ofSeconds(10);

  private final RedisConnectionFactory factory;
  private final Runnable release;

  private DiscoveryConnections(RedisConnectionFactory factory, Runnable release) {
    this.factory = factory;
    this.release = release;
  }

  /**
   * Connections for discovery, modelled on the application's factory.
   *
   * @param commandTimeout how long a command may take at most (the application's timeout applies if shorter)
   */
  static DiscoveryConnections basedOn(RedisConnectionFactory application, Duration commandTimeout) {
    if (LETTUCE && application instanceof LettuceConnectionFactory lettuce) {
      return dedicated(lettuce, commandTimeout);
    }
    return new DiscoveryConnections(application, () -> { });
  }

  private static DiscoveryConnections dedicated(LettuceConnectionFactory application, Duration commandTimeout) {
    ClientResources resources = DefaultClientResources.builder()
        .ioThreadPoolSize(1)
        .computationThreadPoolSize(1)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
        .build();
    LettuceClientConfiguration original = application.getClientConfiguration();
    LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder();
    if (original.isUseSsl()) {
      LettuceClientConfiguration.LettuceSslClientConfigurationBuilder ssl = client.useSsl()
          .verifyPeer(original.getVerifyMode());
      if (original.isStartTls()) {
        ssl.startTls();
      }
      ssl.and();
    }
    client.clientOptions(options(original.getClientOptions().orElse(null), application.isClusterAware()));
    original.getRedisCredentialsProviderFactory().ifPresent(client::redisCredentialsProviderFactory);
    original.getClientName().ifPresent(name -> client.clientName(name + "-frpc-discovery"));
    Duration timeout = original.getCommandTimeout().compareTo(commandTimeout) < 0 ? original.getCommandTimeout()
        : commandTimeout;
    client.commandTimeout(timeout).clientResources(resources)
        .shutdownTimeout(Duration.ZERO).shutdownQuietPeriod(Duration.ZERO);
    RedisConfiguration server = application.isClusterAware() ? application.getClusterConfiguration()
        : application.isRedisSentinelAware() ? application.getSentinelConfiguration()
        : application.getStandaloneConfiguration();
    LettuceConnectionFactory factory = new LettuceConnectionFactory(server, client.build());
    factory.afterPropertiesSet();
    factory.start();
    return new DiscoveryConnections(factory, () -> {
      factory.destroy();
      resources.shutdown(0, 1, TimeUnit.SECONDS);
    });
  }

  /**
   * The application's client options, but commands fail at once while a connection is down instead of waiting
   * for the command timeout (a dead server must not hold up the watcher), and on a cluster a topology refreshed
   * at least every 10 s and on Lettuce's adaptive triggers (redirects, persistent reconnects, uncovered slots) at
   * most once a second, so the watcher subscribes to a promoted replica or an added master soon; the
   * application's choice of refresh sources and of closing stale connections is kept.
   */
  private static ClientOptions options(ClientOptions application, boolean cluster) {
    if (!cluster) {
      ClientOptions.Builder options = application != null ? application.mutate() : ClientOptions.builder();
      return options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build();
    }
    ClusterClientOptions.Builder options = application instanceof ClusterClientOptions clusterOptions
        ? clusterOptions.mutate() : application != null ? ClusterClientOptions.builder(application)
        : ClusterClientOptions.builder();
    ClusterTopologyRefreshOptions refresh = application instanceof ClusterClientOptions clusterOptions
        ? clusterOptions.getTopologyRefreshOptions() : ClusterTopologyRefreshOptions.create();
    Duration period = refresh.isPeriodicRefreshEnabled()
        && refresh.getRefreshPeriod().compareTo(TOPOLOGY_REFRESH_PERIOD) < 0 ? refresh.getRefreshPeriod()
        : TOPOLOGY_REFRESH_PERIOD;
    return options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(period)
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
            .refreshTriggersReconnectAttempts(3)
            .dynamicRefreshSources(refresh.useDynamicRefreshSources())
            .closeStaleConnections(refresh.isCloseStaleConnections())
            .build())
        .build();
  }

  RedisConnectionFactory factory() {
    return factory;
  }

  @Override
  public void close() {
    release.run();
  }
}
