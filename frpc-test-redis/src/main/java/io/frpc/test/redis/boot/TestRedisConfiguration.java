package io.frpc.test.redis.boot;

import io.frpc.test.redis.TestRedis;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A real Redis for a Spring Boot test's application context, without Docker: imported into a test, it starts a
 * {@link TestRedis} (in Docker when an engine is available, else the embedded binary on a free port) and hands
 * its address to Spring Boot as the {@link DataRedisConnectionDetails} bean, so the application's
 * {@code RedisConnectionFactory}, and with it frpc's Redis discovery, connect to it; no {@code spring.data.redis.*}
 * property is needed (host, port, database, user and password properties are then not used).
 *
 * <pre>{@code
 * @SpringBootTest(properties = "frpc.discovery.type=redis")
 * @Import(TestRedisConfiguration.class)
 * class GameServerTest {
 *
 *   @Autowired TestRedis redis; // the server, e.g. to look at keys or flushAll()
 *   ...
 * }
 * }</pre>
 *
 * <p>The server is a bean of the context: it starts with the context and stops when the context closes, so test
 * classes that share a cached context share the server. Where Docker is available everywhere the tests run,
 * {@link RedisContainerConfiguration} does the same with a container and Spring Boot's {@code @ServiceConnection}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestRedisConfiguration {

  /** Created by Spring when the configuration is imported. */
  public TestRedisConfiguration() {}

  /**
   * The running server; closed with the context.
   *
   * @return a server with {@link TestRedis.Options#defaults()}
   */
  @Bean(destroyMethod = "close")
  public TestRedis testRedis() {
    return TestRedis.start(TestRedis.Options.defaults());
  }

  /**
   * Spring Boot's Redis connection details, pointing at {@code testRedis}.
   *
   * @param testRedis the server
   * @return standalone connection details with the server's host and port, database 0
   */
  @Bean
  public DataRedisConnectionDetails testRedisConnectionDetails(TestRedis testRedis) {
    DataRedisConnectionDetails.Standalone standalone =
        DataRedisConnectionDetails.Standalone.of(testRedis.host(), testRedis.port());
    return new DataRedisConnectionDetails() {
      @Override
      public Standalone getStandalone() {
        return standalone;
      }
    };
  }
}
