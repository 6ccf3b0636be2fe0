package io.frpc.discovery.redis;

import static io.frpc.discovery.redis.RedisNodes.Option.keyspaceEventsLeftAlone;
import static io.frpc.discovery.redis.RedisNodes.Option.resyncInterval;
import static io.frpc.discovery.redis.RedisNodes.frpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.discovery.redis.RedisNodes.Node;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import io.frpc.testing.CapturedLogs;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The keyspace notifications discovery relies on, and what happens where they cannot be configured. */
class KeyspaceEventsTest {

  @Test
  void theNeededFlagsAreAddedToThoseAlreadySet() {
    assertThat(KeyspaceEventsConfigurer.merge("")).isEqualTo("Kg$x");
    assertThat(KeyspaceEventsConfigurer.merge(null)).isEqualTo("Kg$x");
    assertThat(KeyspaceEventsConfigurer.merge("Ex")).isEqualTo("ExKg$");
    assertThat(KeyspaceEventsConfigurer.merge("AKE")).isEqualTo("AKE");
    assertThat(KeyspaceEventsConfigurer.merge("EA")).isEqualTo("EAK");
    assertThat(KeyspaceEventsConfigurer.merge("Kg$x")).isEqualTo("Kg$x");
  }

  @Nested
  class OnAServerThatRefusesConfig {

    @RegisterExtension
    final RedisServerExtension managedRedis = new RedisServerExtension(new TestRedis.Options(false));

    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
      logs = CapturedLogs.of("io.frpc");
    }

    @AfterEach
    void releaseLogs() {
      logs.close();
    }

    @Test
    void theOperatorIsToldWhatToSetAndNodesAreStillFoundByTheResync(TestRedis redis) {
      try (RedisNodes nodes = new RedisNodes(RedisDeployment.standalone(redis))) {
        Node lobby = nodes.lobby(1, resyncInterval(Duration.ofSeconds(1)));
        nodes.game(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
        assertThat(logs.messages(Level.ERROR)).anySatisfy(message -> assertThat(message)
            .contains("refused CONFIG", "notify-keyspace-events", "K, g, $ and x", "'Kg$x'"));
      }
    }
  }

  @Nested
  class WhenFrpcMayNotChangeTheSetting {

    @RegisterExtension
    final RedisServerExtension redisServer = new RedisServerExtension();

    @Test
    void theSettingIsLeftAloneAndTheMissingFlagsAreNamed(TestRedis redis) {
      redis.execute("CONFIG", "SET", "notify-keyspace-events", "Ex");
      String before = redis.execute("CONFIG", "GET", "notify-keyspace-events").split("\n")[1];
      try (CapturedLogs logs = CapturedLogs.of("io.frpc");
          RedisNodes nodes = new RedisNodes(RedisDeployment.standalone(redis))) {
        nodes.lobby(1, keyspaceEventsLeftAlone());

        await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream().anyMatch(message ->
            message.contains("set it to '" + KeyspaceEventsConfigurer.merge(before) + "'")));
        assertThat(redis.execute("CONFIG", "GET", "notify-keyspace-events").split("\n")[1]).isEqualTo(before);
      }
    }
  }
}
