package io.frpc.test.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class RedisServerExtensionTest {

  /** The server injected into {@link #captureClassServer(TestRedis)}, to compare with later injections. */
  private static TestRedis classServer;

  private final TestRedis constructorServer;

  RedisServerExtensionTest(TestRedis redis) {
    this.constructorServer = redis;
  }

  @BeforeAll
  static void captureClassServer(TestRedis redis) {
    classServer = redis;
  }

  @BeforeEach
  void cleanServer(TestRedis redis) {
    assertThat(redis.isRunning()).as("server running before each test").isTrue();
    redis.flushAll();
  }

  @Test
  void valueSetByAClientCanBeRead(TestRedis redis) {
    RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().set("greeting", "hello")).isEqualTo("OK");
      assertThat(connection.sync().get("greeting")).isEqualTo("hello");
    } finally {
      client.shutdown();
    }

    assertThat(redis.execute("GET", "greeting")).isEqualTo("hello");
    assertThat(redis.execute("SET", "k", "v")).isEqualTo("OK");
    assertThat(redis.execute("GET", "k")).isEqualTo("v");
    assertThat(redis.execute("GET", "missing")).isNull();
    assertThat(redis.execute("MGET", "k", "greeting")).isEqualTo("v\nhello");
    assertThat(redis.execute("DBSIZE")).isEqualTo("2");
  }

  @Test
  void commandCallsCountsCommandsSinceResetStats(TestRedis redis) {
    redis.execute("SET", "k", "v");
    redis.execute("GET", "k");

    redis.resetStats();
    assertThat(redis.commandCalls()).doesNotContainKeys("get", "set");

    redis.execute("GET", "k");
    assertThat(redis.commandCalls()).containsEntry("get", 1L).doesNotContainKey("set");

    redis.execute("PEXPIRE", "k", "60000");
    redis.execute("PEXPIRE", "k", "60000");
    assertThat(redis.commandCalls()).containsEntry("get", 1L).containsEntry("pexpire", 2L);
  }

  @Test
  void configCommandIsAllowedByDefault(TestRedis redis) {
    try {
      assertThat(redis.execute("CONFIG", "SET", "notify-keyspace-events", "KEA")).isEqualTo("OK");
      assertThat(redis.execute("CONFIG", "GET", "notify-keyspace-events"))
          .isEqualTo("notify-keyspace-events\nAKE");
    } finally {
      redis.execute("CONFIG", "SET", "notify-keyspace-events", "");
    }
  }

  @Test
  void persistenceIsOff(TestRedis redis) {
    assertThat(redis.execute("CONFIG", "GET", "save")).isEqualTo("save\n");
    assertThat(redis.execute("CONFIG", "GET", "appendonly")).isEqualTo("appendonly\nno");
  }

  @Test
  void stopRefusesConnectionsAndStartComesBackEmptyOnTheSamePort(TestRedis redis) {
    String host = redis.host();
    int port = redis.port();
    redis.execute("SET", "survivor", "1");
    try {
      redis.stop();

      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(() -> connect(host, port)).isInstanceOf(ConnectException.class);

      redis.start();

      assertThat(redis.isRunning()).isTrue();
      assertThat(redis.host()).isEqualTo(host);
      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.execute("GET", "survivor")).as("data after restart").isNull();
      assertThat(redis.execute("DBSIZE")).isEqualTo("0");
      assertThat(redis.execute("SET", "k", "v")).isEqualTo("OK");
      assertThat(redis.execute("GET", "k")).isEqualTo("v");
    } finally {
      redis.start(); // leave a running server for the other tests even if an assertion failed
    }
  }

  @Test
  void serverWithoutConfigCommandRefusesConfig(TestRedis classRedis) {
    TestRedis redis = TestRedis.start(new TestRedis.Options(false));
    try (redis) {
      assertThat(redis.port()).isNotEqualTo(classRedis.port());

      assertThatThrownBy(() -> redis.execute("CONFIG", "GET", "notify-keyspace-events"))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("ERR unknown command")
          .hasMessageContaining("CONFIG");

      // Statistics still work: INFO for the counters, a baseline instead of CONFIG RESETSTAT.
      redis.execute("GET", "k");
      redis.resetStats();
      redis.execute("GET", "k");
      assertThat(redis.commandCalls()).containsEntry("get", 1L);
    }

    assertThat(redis.isRunning()).isFalse();
    assertThatThrownBy(() -> connect(redis.host(), redis.port())).isInstanceOf(ConnectException.class);
    assertThatThrownBy(redis::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void firstTestGetsTheClassServer(TestRedis redis) {
    assertThat(redis).isSameAs(classServer).isSameAs(constructorServer);
    assertThat(redis.port()).isEqualTo(classServer.port());
  }

  @Test
  void secondTestGetsTheClassServer(TestRedis redis) {
    assertThat(redis).isSameAs(classServer).isSameAs(constructorServer);
    assertThat(redis.port()).isEqualTo(classServer.port());
  }

  private static void connect(String host, int port) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
    }
  }
}
