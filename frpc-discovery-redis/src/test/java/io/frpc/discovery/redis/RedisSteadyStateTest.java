package io.frpc.discovery.redis;

import static io.frpc.discovery.redis.RedisNodes.frpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.discovery.redis.RedisNodes.Node;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a quiet cluster costs Redis: three registered nodes and two watchers, while Redis counts 15 renewals (about
 * 5 s). A refresh renews the TTL without changing the value, so watchers never read. The rules underneath, over
 * 30 s of a manual clock: RedisNodeRegistrarTest (one renewal a second, no rewrite) and WatcherStateMachineTest (a
 * refreshed key is never read).
 */
@ExtendWith(RedisServerExtension.class)
class RedisSteadyStateTest {

  private static final int NODES = 3;
  /** Renewals Redis must count: five per node. */
  private static final int RENEWALS = 5 * NODES;
  /** The commands the test's own admin connections issue; nodes issue the rest. */
  private static final Set<String> ADMIN = Set.of("info", "config", "hello", "client", "ping", "command");

  @Test
  void aQuietClusterCostsOneCommandPerNodePerSecondAndNoWatcherReads(TestRedis redis) {
    try (RedisNodes nodes = new RedisNodes(RedisDeployment.standalone(redis))) {
      Node lobby1 = nodes.lobby(1);
      Node lobby2 = nodes.lobby(2);
      for (int id = 1; id <= NODES; id++) {
        nodes.game(id);
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> frpc(lobby1).activeNodeIds("game").size() == NODES
          && frpc(lobby2).activeNodeIds("game").size() == NODES);

      // every node renewed once, so Redis has the renewal script (the first EVALSHA of a script Redis does not
      // have yet fails and is followed by an EVAL)
      await().atMost(Duration.ofSeconds(5)).until(() -> redis.commandCalls().getOrDefault("pexpire", 0L) >= NODES);

      redis.resetStats();
      long start = System.nanoTime();
      // A renewal is one script that runs GET and PEXPIRE in Redis; nothing else calls PEXPIRE.
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> redis.commandCalls().getOrDefault("pexpire", 0L) >= RENEWALS);
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Long> calls = new TreeMap<>(redis.commandCalls());

      calls.keySet().removeAll(ADMIN);
      // Redis counts the calls a script makes too: a renewal is one EVALSHA that runs GET and PEXPIRE
      // inside Redis, a watcher read one EVALSHA that runs GET and PTTL. Only the EVALSHA crosses the network.
      Map<String, Long> sent = new TreeMap<>(calls);
      sent.keySet().removeAll(Set.of("get", "pexpire", "pttl"));
      long total = sent.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf("MEASURED steady state, 3 nodes + 2 watchers, %.1f s: %s -> %.2f commands/s per node"
          + " sent, %d watcher reads, %d SCAN%n", seconds, calls, total / seconds / NODES,
          calls.getOrDefault("pttl", 0L), calls.getOrDefault("scan", 0L));
      assertThat(calls.getOrDefault("pttl", 0L)).as("watcher reads").isZero();
      assertThat(calls.getOrDefault("get", 0L)).as("reads beyond the renewals' own")
          .isLessThanOrEqualTo(calls.getOrDefault("evalsha", 0L));
      assertThat(calls.getOrDefault("set", 0L)).as("rewrites of unchanged registrations").isZero();
      // each watcher's echo, which proves its subscription still delivers: one PUBLISH every 5 s
      assertThat(sent.getOrDefault("publish", 0L)).as("echoes of 2 watchers")
          .isLessThanOrEqualTo(2 * ((long) (seconds / 5) + 1));
      sent.remove("publish");
      assertThat(sent).as("commands besides the renewals and echoes").containsOnlyKeys("evalsha");
      // five renewals of each node take 4 to 5 s at one a second (each node renews at its own phase)
      assertThat(seconds).as("15 renewals of 3 nodes").isBetween(3.8, 6.5);
    }
  }
}
