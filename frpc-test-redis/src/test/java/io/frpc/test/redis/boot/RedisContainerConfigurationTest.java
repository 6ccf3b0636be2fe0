package io.frpc.test.redis.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.redis.testcontainers.RedisContainer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.lifecycle.TestcontainersLifecycleApplicationContextInitializer;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Needs a Docker engine: skipped (not run) where there is none, as on frpc's own build machines; there,
 * {@link TestRedisConfigurationTest} covers the embedded path.
 */
@Testcontainers(disabledWithoutDocker = true)
class RedisContainerConfigurationTest {

  @Test
  void theApplicationsRedisConnectionReachesTheContainerThroughItsServiceConnection() {
    new ApplicationContextRunner()
        .withInitializer(new TestcontainersLifecycleApplicationContextInitializer())
        .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
            DataRedisAutoConfiguration.class))
        .withUserConfiguration(RedisContainerConfiguration.class)
        .run(context -> {
          context.getBean(StringRedisTemplate.class).opsForValue().set("greeting", "hello from Spring");

          RedisContainer container = context.getBean(RedisContainer.class);
          assertThat(container.isRunning()).isTrue();
          assertThat(container.execInContainer("redis-cli", "GET", "greeting").getStdout().trim())
              .isEqualTo("hello from Spring");
        });
  }
}
