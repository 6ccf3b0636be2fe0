package io.frpc.spring.staticonly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application that discovers nodes statically never uses Redis, although the starter brings Spring Data
 * Redis: it is healthy without extra settings, while one that configures Redis keeps Boot's Redis check.
 */
class StaticOnlyApplicationHealthTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
        .properties("frpc.node.name=solo", "frpc.node.id=1", "frpc.server.host=127.0.0.1", "frpc.server.port=0",
            "management.endpoint.health.show-components=always")
        .properties(properties).run();
  }

  @Test
  void aStaticOnlyApplicationIsHealthyWithoutRedis() {
    try (ConfigurableApplicationContext context = start()) {
      HealthEndpoint health = context.getBean(HealthEndpoint.class);

      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
      assertThat(health.healthForPath("redis")).as("no Redis check").isNull();
    }
  }

  @Test
  void anApplicationThatConfiguresRedisKeepsBootsRedisCheck() {
    try (ConfigurableApplicationContext context = start("spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=1", "spring.data.redis.timeout=200ms")) {
      HealthEndpoint health = context.getBean(HealthEndpoint.class);

      assertThat(health.healthForPath("redis")).isNotNull();
      assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }
  }
}
