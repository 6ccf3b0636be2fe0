package io.frpc.internal.redis;

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
 * give up after a refresh interval (a refresh stuck on a dead server for the default 60 s would let the
 * registration expire long after Redis recovered) and, on a Redis Cluster, follow topology changes; the
 * application's own client is left untouched. With any other client, the application's factory.
 */
final class DiscoveryConnections implements AutoCloseable {

  private static final boolean LETTUCE = ClassUtils.isPresent(
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
    if (application.isClusterAware()) {
      client.clientOptions(followingTopology(original.getClientOptions().orElse(null)));
    } else {
      original.getClientOptions().ifPresent(client::clientOptions);
    }
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
   * The application's client options, refreshing the cluster topology every 10 s and on Lettuce's adaptive
   * triggers (redirects, persistent reconnects, uncovered slots) at most once a second: the watcher subscribes
   * to a promoted replica or an added master when the refresh sees it.
   */
  private static ClusterClientOptions followingTopology(ClientOptions application) {
    ClusterClientOptions.Builder options = application instanceof ClusterClientOptions cluster ? cluster.mutate()
        : application != null ? ClusterClientOptions.builder(application) : ClusterClientOptions.builder();
    return options.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
        .enablePeriodicRefresh(TOPOLOGY_REFRESH_PERIOD)
        .enableAllAdaptiveRefreshTriggers()
        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
        .refreshTriggersReconnectAttempts(3)
        .build()).build();
  }

  RedisConnectionFactory factory() {
    return factory;
  }

  @Override
  public void close() {
    release.run();
  }
}
