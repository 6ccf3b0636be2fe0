package io.frpc.spring.autoconfigure;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The starter brings Spring Data Redis for Redis discovery, and with it Spring Boot's Redis health check,
 * which reports DOWN in an application that never uses Redis. When frpc discovers nodes statically and the
 * application configures no Redis connection of its own, this turns that check off by default
 * ({@code management.health.redis.enabled=false}, at the lowest precedence, so any setting of the
 * application wins).
 */
class StaticDiscoveryRedisHealthDefault implements EnvironmentPostProcessor {

  static final String PROPERTY = "management.health.redis.enabled";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    boolean redisDiscovery = "redis".equalsIgnoreCase(environment.getProperty("frpc.discovery.type", "static"));
    boolean redisConfigured = environment.containsProperty("spring.data.redis.host")
        || environment.containsProperty("spring.data.redis.url")
        || environment.containsProperty("spring.data.redis.sentinel.master")
        || environment.containsProperty("spring.data.redis.cluster.nodes");
    if (!redisDiscovery && !redisConfigured && !environment.containsProperty(PROPERTY)) {
      environment.getPropertySources().addLast(new MapPropertySource("frpcStaticDiscoveryDefaults",
          Map.of(PROPERTY, "false")));
    }
  }
}
