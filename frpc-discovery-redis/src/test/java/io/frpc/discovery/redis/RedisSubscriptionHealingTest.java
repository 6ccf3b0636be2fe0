package io.frpc.discovery.redis;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A watcher notices on its own when Redis stops telling it about changes (notifications switched off, a
 * subscription that died without a word) and heals it, finding what it missed, without waiting for the periodic
 * resync; against a real Redis. Apart from {@link RedisHardeningTest} because each test waits for the watcher's
 * 5-second checks: the two classes run at once.
 */
@ExtendWith(RedisServerExtension.class)
class RedisSubscriptionHealingTest {

  private final TestRedis redis;
  private RedisNodes nodes;
  private CapturedLogs logs;

  RedisSubscriptionHealingTest(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void create() {
    nodes = RedisNodes.standalone(redis);
    logs = CapturedLogs.of("io.frpc");
  }

  @AfterEach
  void close() {
    nodes.close();
    logs.close();
  }

  @Test
  void notificationsSwitchedOffAtRuntimeAreRestoredAndNewNodesFoundPromptly() {
    Node lobby = watchingLobby();

    redis.execute("CONFIG", "SET", "notify-keyspace-events", "");

    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream()
        .anyMatch(message -> message.contains("lost flags")));
    assertThat(redis.execute("CONFIG", "GET", "notify-keyspace-events")).contains("K");
    nodes.game(1);
    await().atMost(Duration.ofSeconds(3)).until(() -> frpc(lobby).isActive("game", 1));
  }

  @Test
  void aNodeThatRegisteredWhileNotificationsWereOffIsFoundOnceTheyAreRestored() {
    Node lobby = watchingLobby();
    // Switched off just after a periodic check restored them: the next check is a whole period away.
    redis.execute("CONFIG", "SET", "notify-keyspace-events", "");
    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream()
        .filter(message -> message.contains("lost flags")).count() == 1);
    redis.execute("CONFIG", "SET", "notify-keyspace-events", "");

    nodes.game(1);
    await("registered while notifications are off").atMost(Duration.ofSeconds(3))
        .until(() -> "1".equals(redis.execute("EXISTS", nodes.key(1))));
    assertThat(frpc(lobby).isActive("game", 1)).as("unnoticed while notifications are off").isFalse();

    // Found by the listing that follows the restore, not by the minute-long periodic resync.
    await().atMost(Duration.ofSeconds(12)).until(() -> frpc(lobby).isActive("game", 1));
    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("lost flags")).hasSize(2);
  }

  @Test
  void aSubscriptionThatDiedWithoutAWordIsReplacedAndWhatItMissedFound() {
    try (SilencingProxy proxy = new SilencingProxy(redis.host(), redis.port());
        RedisNodes proxied = new RedisNodes(proxy)) {
      Node lobby = proxied.lobby(1, RedisNodes.Option.resyncInterval(Duration.ofMinutes(10)));
      await().atMost(Duration.ofSeconds(10)).until(() -> lobby.discovery().health().healthy());
      proxy.silenceSubscribers();
      assertThat(proxy.silenced()).as("the lobby's subscription").isOne();

      proxied.game(1);
      // Not by the periodic resync (ten minutes away): by the echo check, which replaces the silent subscription.
      await().atMost(Duration.ofSeconds(30)).until(() -> frpc(lobby).isActive("game", 1));
      assertThat(logs.messages(Level.WARN)).anySatisfy(message -> assertThat(message)
          .contains("keyspace subscription stopped delivering"));
      await().atMost(Duration.ofSeconds(10)).until(() -> lobby.discovery().health().healthy());
    }
  }

  @Test
  void anAclUserAllowedTheKeyspaceChannelsOnlyStillDiscovers() {
    RedisDeployment restricted = () -> {
      RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(redis.host(), redis.port());
      server.setUsername("keyspace-only");
      server.setPassword("its-password");
      LettuceConnectionFactory factory = new LettuceConnectionFactory(server);
      factory.afterPropertiesSet();
      factory.start();
      return factory;
    };
    try (RedisNodes restrictedNodes = new RedisNodes(restricted)) {
      // Redis compares a PSUBSCRIBE pattern literally with the ones a user is allowed
      redis.execute("ACL", "SETUSER", "keyspace-only", "on", ">its-password", "~*", "resetchannels",
          "&__keyspace@0__:" + restrictedNodes.prefix() + ":rpc:game:*", "+@all");
      Node lobby = restrictedNodes.lobby(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> lobby.discovery().health().healthy());
      restrictedNodes.game(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> frpc(lobby).isActive("game", 1));
      // the echo check is off, not taken for a dead subscription
      await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(15))
          .until(() -> lobby.discovery().health().healthy());
      assertThat(logs.messages(Level.INFO)).anySatisfy(message -> assertThat(message)
          .contains("refused PUBLISH on this watcher's echo channel"));
      assertThat(logs.messages(Level.WARN)).noneSatisfy(message -> assertThat(message)
          .contains("stopped delivering"));
    } finally {
      redis.execute("ACL", "DELUSER", "keyspace-only");
    }
  }

  /** A lobby node whose subscription stands and whose view has been reconciled with Redis. */
  private Node watchingLobby() {
    Node lobby = nodes.lobby(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> lobby.discovery().health().healthy());
    return lobby;
  }
}
