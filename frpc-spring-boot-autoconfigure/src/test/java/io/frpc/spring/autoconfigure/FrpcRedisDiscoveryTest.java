package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.discovery.redis.RedisDiscoverySettings;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code frpc.discovery.type=redis} in a Spring application: the properties reach the discovery of
 * frpc-discovery-redis, and a Spring node's registration, status and health against a real Redis. What discovery
 * does with Redis is tested in frpc-discovery-redis.
 */
@ExtendWith(RedisServerExtension.class)
class FrpcRedisDiscoveryTest {

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final TestRedis redis;
  private final String prefix = "spring" + PREFIXES.incrementAndGet();
  private final ApplicationContextRunner runner;

  FrpcRedisDiscoveryTest(TestRedis redis) {
    this.redis = redis;
    this.runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, FrpcAutoConfiguration.class,
            FrpcRedisDiscoveryAutoConfiguration.class, FrpcHealthContributorAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
            "frpc.discovery.type=redis", "frpc.discovery.redis.key-prefix=" + prefix,
            "frpc.client.reconnect-max-backoff=500ms");
  }

  @BeforeEach
  void redisRuns() {
    if (!redis.isRunning()) {
      redis.start();
    }
  }

  @Test
  void everyRedisPropertyReachesTheDiscoverySettings() {
    runner.withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false", "spring.data.redis.database=3",
        "frpc.discovery.redis.watch=game,chat", "frpc.discovery.redis.ttl=3s",
        "frpc.discovery.redis.refresh-interval=500ms", "frpc.discovery.redis.resync-interval=10s",
        "frpc.discovery.redis.max-nodes-per-name=10", "frpc.discovery.redis.configure-keyspace-events=false",
        "frpc.discovery.redis.register=false").run(context ->
        assertThat(context.getBean(RedisNodeDiscovery.class).settings()).isEqualTo(new RedisDiscoverySettings(prefix,
            Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(10), List.of("game", "chat"), false, 3,
            10, false)));
  }

  @Test
  void unsetRedisPropertiesTakeTheDefaultsOfTheDiscoveryModule() {
    runner.withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false").run(context ->
        assertThat(context.getBean(RedisNodeDiscovery.class).settings()).isEqualTo(new RedisDiscoverySettings(prefix,
            RedisDiscoverySettings.DEFAULT_TTL, RedisDiscoverySettings.DEFAULT_REFRESH_INTERVAL,
            RedisDiscoverySettings.DEFAULT_RESYNC_INTERVAL, List.of(),
            RedisDiscoverySettings.DEFAULT_CONFIGURE_KEYSPACE_EVENTS, RedisDiscoverySettings.DEFAULT_DATABASE,
            RedisDiscoverySettings.DEFAULT_MAX_NODES_PER_NAME, RedisDiscoverySettings.DEFAULT_REGISTER)));
  }

  @Test
  void aSpringNodeRegistersTheAddressItsStatusShowsAndASpringCallerFindsIt() {
    runner.withUserConfiguration(GreeterNode.class)
        .withPropertyValues("frpc.node.name=game", "frpc.server.host=127.0.0.1", "frpc.server.port=0")
        .run(game -> runner.withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false",
            "frpc.discovery.redis.watch=game").run(lobby -> {
              FrpcTemplate frpc = lobby.getBean(FrpcTemplate.class);
              await().atMost(Duration.ofSeconds(10)).until(() -> frpc.isActive("game", 1));

              assertThat(frpc.module("game", "greeter").call("greet", String.class, "lobby"))
                  .isEqualTo("hello lobby");
              int port = game.getBean(FrpcNode.class).listenAddress().getPort();
              assertThat(redis.execute("GET", prefix + ":rpc:game:1")).contains("\"host\":\"127.0.0.1\"",
                  "\"port\":" + port);
              assertThat(game.getBean(FrpcNode.class).status().advertisedAddress())
                  .as("the status shows what is registered").isEqualTo("127.0.0.1:" + port);
              Health health = lobby.getBean("frpcHealthIndicator", HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails().get("nodes")).asString().isEqualTo("{game={connected=1, known=1}}");
            }));
  }

  @Test
  void healthIsDownWhileRedisIsUnreachableAndUpOnceDiscoveryWorks() {
    redis.stop();
    runner.withPropertyValues("frpc.node.name=game", "frpc.server.host=127.0.0.1", "frpc.server.port=0")
        .run(game -> runner.withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false",
            "frpc.discovery.redis.watch=game").run(lobby -> {
              HealthIndicator gameHealth = game.getBean("frpcHealthIndicator", HealthIndicator.class);
              HealthIndicator lobbyHealth = lobby.getBean("frpcHealthIndicator", HealthIndicator.class);
              assertThat(gameHealth.health().getStatus()).isEqualTo(Status.DOWN);
              assertThat(lobbyHealth.health().getStatus()).isEqualTo(Status.DOWN);
              assertThat(gameHealth.health().getDetails().get("discovery")).asString().contains("type=redis");

              redis.start();

              await().atMost(Duration.ofSeconds(10)).until(() -> gameHealth.health().getStatus().equals(Status.UP)
                  && lobbyHealth.health().getStatus().equals(Status.UP)
                  && lobby.getBean(FrpcTemplate.class).isActive("game", 1));
              assertThat(gameHealth.health().getDetails().get("discovery")).asString()
                  .contains("registration=REGISTERED");
              assertThat(lobbyHealth.health().getDetails().get("nodes")).asString()
                  .isEqualTo("{game={connected=1, known=1}}");
            }));
  }

  @Test
  void theConfiguredAdvertisedHostIsRegistered() {
    FrpcProperties.Server server = new FrpcProperties.Server();
    server.setHost("0.0.0.0");
    server.setAdvertisedHost("game-1.internal");

    assertThat(FrpcRedisDiscoveryAutoConfiguration.advertisedHost(server)).isEqualTo("game-1.internal");
  }
}
