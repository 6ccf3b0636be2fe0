package io.frpc.internal.redis;

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
 * (Lettuce's default backs off up to 30 s, and discovery must heal quickly after a Redis restart);
 * the application's own client is left untouched. With any other client, the application's factory.
 */
final class DiscoveryConnections implements AutoCloseable {

  private static final boolean LETTUCE = ClassUtils.isPresent(
      "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
      DiscoveryConnections.class.getClassLoader());

  private final RedisConnectionFactory factory;
  private final Runnable release;

  private DiscoveryConnections(RedisConnectionFactory factory, Runnable release) {
    this.factory = factory;
    this.release = release;
  }

  /** Connections for discovery, modelled on the application's factory. */
  static DiscoveryConnections basedOn(RedisConnectionFactory application) {
    if (LETTUCE && application instanceof LettuceConnectionFactory lettuce) {
      return dedicated(lettuce);
    }
    return new DiscoveryConnections(application, () -> { });
  }

  private static DiscoveryConnections dedicated(LettuceConnectionFactory application) {
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
    original.getClientOptions().ifPresent(client::clientOptions);
    original.getRedisCredentialsProviderFactory().ifPresent(client::redisCredentialsProviderFactory);
    original.getClientName().ifPresent(name -> client.clientName(name + "-frpc-discovery"));
    client.commandTimeout(original.getCommandTimeout()).clientResources(resources)
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

  RedisConnectionFactory factory() {
    return factory;
  }

  @Override
  public void close() {
    release.run();
  }
}
