package io.frpc.discovery.redis;

import static io.frpc.discovery.redis.RedisNodes.events;
import static io.frpc.discovery.redis.RedisNodes.frpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcTemplate;
import io.frpc.NodeId;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.frpc.discovery.redis.RedisNodes.Node;

/**
 * Discovery through {@code spring.data.redis.cluster.*} on a real Redis Cluster of three masters with a replica
 * each. Keyspace notifications stay on the master a key lives on, so the watcher must listen to all of them.
 */
class RedisClusterDiscoveryTest {

  private static TestRedisCluster cluster;
  private RedisNodes nodes;

  @BeforeAll
  static void startRedis() {
    cluster = TestRedisCluster.start();
  }

  @AfterAll
  static void stopRedis() {
    cluster.close();
  }

  @BeforeEach
  void create() {
    nodes = new RedisNodes(cluster);
  }

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void nodesOnEveryMasterAreFoundAndAFrozenNodeOnAnyMasterLeavesWithinTtlPlusOneSecond() throws Exception {
    Node lobby = nodes.lobby(1);
    RedisNodeDiscovery discovery = lobby.discovery();
    await().atMost(Duration.ofSeconds(15)).until(() -> discovery.health().healthy());
    // every master (three, or four once the resharding test of this class added one: the cluster is shared)
    assertThat(discovery.health().details().get("watching")).asString()
        .matches("subscribed \\(([34]) of \\1 masters\\)");
    List<Integer> ids = oneIdPerMaster();
    List<FakeNode> fakes = new ArrayList<>();
    List<ManualRegistration> registrations = new ArrayList<>();
    try {
      for (int id : ids) {
        FakeNode fake = new FakeNode("game", id, "boot-" + id);
        fakes.add(fake);
        registrations.add(new ManualRegistration(cluster, discovery.settings(), new NodeId("game", id), fake.port(),
            "boot-" + id).start());
      }
      FrpcTemplate frpc = frpc(lobby);
      await().atMost(Duration.ofSeconds(5)).until(() -> ids.stream().allMatch(id -> frpc.isActive("game", id)));

      long froze = System.nanoTime();
      fakes.forEach(FakeNode::freeze);
      registrations.forEach(ManualRegistration::hang);
      await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
          .allMatch(id -> events(lobby).firstNanos("down game:" + id + " EXPIRED") > 0));
      for (int id : ids) {
        long millis = TimeUnit.NANOSECONDS.toMillis(events(lobby).firstNanos("down game:" + id + " EXPIRED") - froze);
        System.out.printf("MEASURED cluster: frozen node game:%d (master on port %d) removed after %d ms%n", id,
            cluster.masterPortOf(nodes.key(id)), millis);
        assertThat(millis).as("game:%d left within TTL + 1 s", id).isLessThan(2_000 + 1_000);
      }
    } finally {
      registrations.forEach(ManualRegistration::close);
      for (FakeNode fake : fakes) {
        fake.close();
      }
    }
  }

  @Test
  void aMasterCrashCostsNoHealthyConnectionAndANodeStartedAfterTheFailoverIsFound() throws Exception {
    Node lobby = nodes.lobby(1);
    List<Integer> ids = oneIdPerMaster();
    ids.forEach(nodes::game);
    FrpcTemplate frpc = frpc(lobby);
    await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream().allMatch(id -> frpc.isActive("game", id)));
    int late = ids.get(ids.size() - 1) + 100;
    try (CallingLoop caller = new CallingLoop(frpc, ids)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> caller.calls() > 100);
      String key = nodes.key(ids.get(0));
      long killed = System.nanoTime();
      int formerMaster = cluster.killMasterOf(key);
      cluster.awaitFailover(key, formerMaster, Duration.ofSeconds(30));
      long promoted = System.nanoTime();

      nodes.game(late);
      long started = System.nanoTime();
      await().atMost(Duration.ofSeconds(20)).until(() -> frpc.isActive("game", late));
      long found = System.nanoTime();

      RedisNodeDiscovery discovery = lobby.discovery();
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
        assertThat(discovery.health().healthy()).as("watcher healthy: %s", discovery.health()).isTrue();
        assertThat(ids).as("registered again")
            .allMatch(id -> "1".equals(cluster.execute(nodes.key(id), "EXISTS", nodes.key(id))));
      });
      long healed = System.nanoTime();
      await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> caller.failures().isEmpty());

      System.out.printf("MEASURED cluster failover: promoted %d ms after the crash; a node started after it found "
          + "in %d ms; registrations and the watcher back %d ms after the crash; %d calls, %d failed%n",
          millis(killed, promoted), millis(started, found), millis(killed, healed), caller.calls(),
          caller.failures().size());
      assertThat(caller.failures()).as("calls failed during the failover").isEmpty();
    }
    List<String> expected = new ArrayList<>(ids.stream().map(id -> "up game:" + id).toList());
    expected.add("up game:" + late);
    assertThat(events(lobby).log()).as("no node left because of the failover")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aMasterAddedByReshardingIsWatchedAndTheNodesMovedToItStay() throws Exception {
    Node lobby = nodes.lobby(1);
    RedisNodeDiscovery discovery = lobby.discovery();
    await().atMost(Duration.ofSeconds(15)).until(() -> discovery.health().healthy());
    FrpcTemplate frpc = frpc(lobby);
    try (FakeNode moved = new FakeNode("game", 1, "boot-moved");
        ManualRegistration movedRegistration = new ManualRegistration(cluster, discovery.settings(),
            new NodeId("game", 1), moved.port(), "boot-moved").start();
        FakeNode late = new FakeNode("game", 2, "boot-late")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> frpc.isActive("game", 1));

      int added = cluster.addMaster();
      cluster.moveSlot(SlotHash.getSlot(nodes.key(1)), added);
      cluster.moveSlot(SlotHash.getSlot(nodes.key(2)), added);
      long resharded = System.nanoTime();
      assertThat(cluster.masterPortOf(nodes.key(1))).isEqualTo(added);
      assertThat(cluster.masterPortOf(nodes.key(2))).isEqualTo(added);

      // A node registering on the added master is found through its notifications (the resync is 60 s away).
      try (ManualRegistration lateRegistration = new ManualRegistration(cluster, discovery.settings(),
          new NodeId("game", 2), late.port(), "boot-late").start()) {
        await().atMost(Duration.ofSeconds(20)).until(() -> frpc.isActive("game", 2));
        long found = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(discovery.health().healthy()).as("listening on the added master: %s", discovery.health())
                .isTrue());

        // The node whose key moved stays, and leaves in time once frozen.
        long froze = System.nanoTime();
        moved.freeze();
        movedRegistration.hang();
        await().atMost(Duration.ofSeconds(10)).until(() -> events(lobby).firstNanos("down game:1 EXPIRED") > 0);
        long left = TimeUnit.NANOSECONDS.toMillis(events(lobby).firstNanos("down game:1 EXPIRED") - froze);
        System.out.printf("MEASURED cluster resharding: a node registering on the added master found %d ms after "
            + "the slots moved; the frozen node whose key moved removed %d ms after it froze%n",
            millis(resharded, found), left);
        assertThat(left).as("TTL + 1 s").isLessThan(2_000 + 1_000);
        assertThat(events(lobby).log()).containsExactly("up game:1", "up game:2", "down game:1 EXPIRED");
      }
    }
  }

  /** Node ids of {@code game} whose registration keys live on three different masters. */
  private List<Integer> oneIdPerMaster() {
    Map<Integer, Integer> idByMaster = new LinkedHashMap<>();
    for (int id = 1; idByMaster.size() < 3; id++) {
      idByMaster.putIfAbsent(cluster.masterPortOf(nodes.key(id)), id);
    }
    return List.copyOf(idByMaster.values());
  }

  private static long millis(long from, long to) {
    return TimeUnit.NANOSECONDS.toMillis(to - from);
  }
}
