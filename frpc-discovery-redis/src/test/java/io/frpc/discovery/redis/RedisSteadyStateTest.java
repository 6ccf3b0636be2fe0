package io.frpc.discovery.redis;

import static io.frpc.discovery.redis.RedisNodes.frpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.frpc.discovery.redis.RedisNodes.Node;

/**
 * What a quiet cluster costs Redis: three registered nodes and two watchers over 30 s. A refresh renews
 * the TTL without changing the value, so watchers never read.
 */
@ExtendWith(RedisServerExtension.class)
class RedisSteadyStateTest {

  private static final int WINDOW_SECONDS = 30;

  @Test
  void aQuietClusterCostsOneCommandPerNodePerSecondAndNoWatcherReads(TestRedis redis) {
    try (RedisNodes nodes = new RedisNodes(redis)) {
      Node lobby1 = nodes.lobby(1);
      Node lobby2 = nodes.lobby(2);
      nodes.game(1);
      nodes.game(2);
      nodes.game(3);
      await().atMost(Duration.ofSeconds(15)).until(() -> frpc(lobby1).activeNodeIds("game").size() == 3
          && frpc(lobby2).activeNodeIds("game").size() == 3);

      redis.resetStats();
      long start = System.nanoTime();
      // The measurement window itself: the cluster is left alone for 30 s, then Redis is asked what it did.
      await().pollDelay(Duration.ofSeconds(WINDOW_SECONDS)).atMost(Duration.ofSeconds(WINDOW_SECONDS + 5))
          .until(() -> true);
      Map<String, Long> calls = new TreeMap<>(redis.commandCalls());
      double seconds = (System.nanoTime() - start) / 1e9;

      // The test's own admin connection issues these; nodes issue the rest.
      calls.keySet().removeAll(Set.of("info", "config", "hello", "client", "ping", "command"));
      // Redis counts the calls a script makes too: a renewal is one EVALSHA that runs GET and PEXPIRE
      // inside Redis, a watcher read one EVALSHA that runs GET and PTTL. Only the EVALSHA crosses the network.
      Map<String, Long> sent = new TreeMap<>(calls);
      sent.keySet().removeAll(Set.of("get", "pexpire", "pttl"));
      long total = sent.values().stream().mapToLong(Long::longValue).sum();
      double perNodePerSecond = total / seconds / 3;
      System.out.printf("MEASURED steady state, 3 nodes + 2 watchers, %.1f s: %s -> %.2f commands/s per node"
          + " sent, %d watcher reads, %d SCAN%n", seconds, calls, perNodePerSecond, calls.getOrDefault("pttl", 0L),
          calls.getOrDefault("scan", 0L));
      assertThat(calls.getOrDefault("pttl", 0L)).as("watcher reads").isZero();
      assertThat(calls.getOrDefault("get", 0L)).as("reads beyond the renewals' own")
          .isLessThanOrEqualTo(calls.getOrDefault("evalsha", 0L));
      assertThat(calls.getOrDefault("set", 0L)).as("rewrites of unchanged registrations").isZero();
      assertThat(perNodePerSecond).isBetween(0.8, 1.2);
    }
  }
}
