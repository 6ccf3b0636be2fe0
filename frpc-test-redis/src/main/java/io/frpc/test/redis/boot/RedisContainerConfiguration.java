package io.frpc.test.redis.boot;

import com.redis.testcontainers.RedisContainer;
import io.frpc.test.redis.TestRedis;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis in Docker for a Spring Boot test's application context, the Testcontainers way: a
 * {@link RedisContainer} bean ({@link TestRedis#DOCKER_IMAGE}) marked {@link ServiceConnection}, from which Spring
 * Boot derives the {@code DataRedisConnectionDetails} of the application's Redis connection; Spring Boot starts
 * the container before the beans that use it and stops it with the context.
 *
 * <pre>{@code
 * @SpringBootTest(properties = "frpc.discovery.type=redis")
 * @Import(RedisContainerConfiguration.class)
 * class GameServerTest { ... }
 * }</pre>
 *
 * <p>Needs a Docker engine, and on the test class path {@code org.springframework.boot:spring-boot-testcontainers}
 * and {@code com.redis:testcontainers-redis} (both managed by Spring Boot's dependency management). Where tests
 * must also run without Docker, import {@link TestRedisConfiguration} instead: it runs the embedded Redis binary
 * there. frpc's own build machines have no Docker engine, so this class is compiled there but its test is
 * skipped.
 */
@TestConfiguration(proxyBeanMethods = false)
public class RedisContainerConfiguration {

  /** Created by Spring when the configuration is imported. */
  public RedisContainerConfiguration() {}

  /**
   * The Redis container, a service connection for Spring Boot's Redis auto-configuration.
   *
   * @return a container of {@link TestRedis#DOCKER_IMAGE}, not yet started
   */
  @Bean
  @ServiceConnection
  public RedisContainer redisContainer() {
    return new RedisContainer(DockerImageName.parse(TestRedis.DOCKER_IMAGE));
  }
}
