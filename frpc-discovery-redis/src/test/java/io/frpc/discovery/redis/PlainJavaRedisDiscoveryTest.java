package io.frpc.discovery.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.NodeEventLog;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis discovery as a plain-Java application uses it: {@code FrpcNode.builder(...)} with
 * {@code RedisNodeDiscovery.builder(...)}, no Spring context, a real Redis and real TCP on loopback.
 */
@ExtendWith(RedisServerExtension.class)
class PlainJavaRedisDiscoveryTest {

  @Test
  void aNodeFindsAnotherThroughRedisCallsItAndSeesItLeave(TestRedis redis) {
    LettuceConnectionFactory connections = RedisDeployment.standalone(redis).connectionFactory();
    List<String> events = new CopyOnWriteArrayList<>();
    FrpcNode game = FrpcNode.builder("game", 1).listen("127.0.0.1", 0)
        .handler(HandlerDefinition.of("greeter", null, 1, self -> new Greeter()))
        .discovery(RedisNodeDiscovery.builder(connections).keyPrefix("plain").build())
        .build();
    FrpcNode lobby = FrpcNode.builder("lobby", 1).serve(false)
        .discovery(RedisNodeDiscovery.builder(connections).keyPrefix("plain").watch("game").build())
        .listener(new NodeEventLog(events))
        .build();
    try {
      game.start();
      lobby.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> lobby.template().isActive("game", 1));
      assertThat(lobby.template().module("game", "greeter").call("greet", String.class, "lobby"))
          .isEqualTo("hello lobby");
      assertThat(redis.execute("GET", "plain:rpc:game:1"))
          .contains("\"host\":\"127.0.0.1\"", "\"port\":" + game.listenAddress().getPort());

      game.close();

      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
      assertThat(events).containsExactly("up game:1", "down game:1 SHUTDOWN");
      assertThat(lobby.template().isActive("game")).isFalse();
      assertThat(redis.execute("EXISTS", "plain:rpc:game:1")).as("deregistered").isEqualTo("0");
      await().atMost(Duration.ofSeconds(10)).until(() -> lobby.knownNodes().isEmpty());
    } finally {
      lobby.close();
      game.close();
      connections.destroy();
    }
  }

  /** Module "greeter". */
  public static final class Greeter {
    public String greet(String who) {
      return "hello " + who;
    }
  }
}
