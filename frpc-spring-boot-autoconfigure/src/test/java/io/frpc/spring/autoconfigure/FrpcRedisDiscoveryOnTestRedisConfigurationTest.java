package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.test.redis.TestRedis;
import io.frpc.test.redis.boot.TestRedisConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Spring node tested the way the README's "Testing your code" tells applications to: {@link TestRedisConfiguration}
 * imported into a {@code @SpringBootTest}, no {@code spring.data.redis.*} property, and Redis discovery registers the
 * node in the server it started. The context is closed after the class rather than cached: its node game:1 and
 * its threads must not outlive the test, which other tests of this JVM look for.
 */
@SpringBootTest(classes = FrpcRedisDiscoveryOnTestRedisConfigurationTest.GameApplication.class,
    properties = {"frpc.node.name=game", "frpc.server.host=127.0.0.1", "frpc.server.port=0",
        "frpc.discovery.type=redis"})
@Import(TestRedisConfiguration.class)
@DirtiesContext
class FrpcRedisDiscoveryOnTestRedisConfigurationTest {

  @Autowired TestRedis redis;
  @Autowired FrpcNode node;

  @Test
  void theNodeRegistersInTheRedisOfTestRedisConfiguration() {
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.execute("GET", "frpc:rpc:game:1") != null);

    assertThat(redis.execute("GET", "frpc:rpc:game:1")).contains("\"host\":\"127.0.0.1\"",
        "\"port\":" + node.listenAddress().getPort());
  }

  /** The application: frpc with Redis discovery and a handler, nothing else. */
  @SpringBootConfiguration
  @ImportAutoConfiguration({DataRedisAutoConfiguration.class, FrpcAutoConfiguration.class,
      FrpcRedisDiscoveryAutoConfiguration.class})
  @Import(GreeterNode.class)
  static class GameApplication {
  }
}
