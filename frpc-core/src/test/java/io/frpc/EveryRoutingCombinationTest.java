package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call mode of SPEC §3 — node (one, byid, all) × instance (balance, mod, broadcast) × instance
 * name filter (none, by_name) × operation (send, call, async call) — against two server nodes whose
 * module {@code m} has instances 0 and 1 named {@code red} and 2 and 3 named {@code blue}. Each case
 * runs four operations and checks, on the server side, which nodes and instances ran them, and that
 * call results report exactly those instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryRoutingCombinationTest {

  private static final int OPERATIONS = 4;
  private static final long KEY = 7;
  private static final List<Integer> ALL_INSTANCES = List.of(0, 1, 2, 3);
  private static final List<Integer> RED_INSTANCES = List.of(0, 1);

  enum NodeChoice { ONE, BYID, ALL }

  enum InstanceChoice { BALANCE, MOD, BROADCAST }

  enum Operation { SEND, CALL, ASYNC }

  record Combination(NodeChoice node, InstanceChoice instance, boolean byName, Operation operation) {
    /** The seed's method name, e.g. byid_mod_call_by_name. */
    String seedName() {
      String op = switch (operation) {
        case SEND -> instance == InstanceChoice.BROADCAST ? "" : "_send";
        case CALL -> "_call";
        case ASYNC -> "_call_async";
      };
      return node.name().toLowerCase() + "_" + instance.name().toLowerCase() + op + (byName ? "_by_name" : "");
    }

    @Override
    public String toString() {
      return seedName();
    }
  }

  record Hit(String tag, int node, int instance, String instanceName, String thread) {
    String where() {
      return node + "/" + instance;
    }
  }

  /** Handler of module m: records which node and instance ran each visit. */
  public static final class Spot {
    private final int node;
    private final int index;
    private final String name;
    private final Queue<Hit> hits;

    Spot(int node, int index, String name, Queue<Hit> hits) {
      this.node = node;
      this.index = index;
      this.name = name;
      this.hits = hits;
    }

    public String visit(String tag) {
      hits.add(new Hit(tag, node, index, name, Thread.currentThread().getName()));
      return node + "/" + index;
    }
  }

  private final Queue<Hit> hits = new ConcurrentLinkedQueue<>();
  private TestNode server1;
  private TestNode server2;
  private TestNode caller;

  @BeforeAll
  void startCluster() {
    server1 = server(1);
    server2 = server(2);
    // round robin, so that "one" calls split exactly in half; least-loaded choice is LoadAwareChoiceTest's
    caller = TestNode.inJvm("caller", 1).configure(b -> b.loadBalancing(LoadBalancing.ROUND_ROBIN)).start()
        .connectedTo(server1).connectedTo(server2);
  }

  private TestNode server(int id) {
    return TestNode.inJvm("game", id)
        .module("m", "red", 2, i -> new Spot(id, i, "red", hits))
        .module("m", "blue", 2, i -> new Spot(id, i + 2, "blue", hits))
        .start();
  }

  @AfterAll
  void stopCluster() {
    caller.close();
    server1.close();
    server2.close();
  }

  static Stream<Combination> combinations() {
    List<Combination> all = new ArrayList<>();
    for (NodeChoice node : NodeChoice.values()) {
      for (InstanceChoice instance : InstanceChoice.values()) {
        for (boolean byName : new boolean[] {false, true}) {
          for (Operation operation : Operation.values()) {
            all.add(new Combination(node, instance, byName, operation));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void routesToTheSpecifiedNodesAndInstances(Combination combination) throws Exception {
    String tag = combination.seedName();
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < OPERATIONS; i++) {
      replies.addAll(run(combination, tag));
    }

    List<Integer> group = combination.byName() ? RED_INSTANCES : ALL_INSTANCES;
    int nodesPerOperation = combination.node() == NodeChoice.ALL ? 2 : 1;
    int instancesPerNode = combination.instance() == InstanceChoice.BROADCAST ? group.size() : 1;
    int expected = OPERATIONS * nodesPerOperation * instancesPerNode;
    await().atMost(Duration.ofSeconds(10)).until(() -> hitsOf(tag).size() >= expected);
    List<Hit> observed = hitsOf(tag);

    assertThat(observed).hasSize(expected);
    assertThat(observed).allSatisfy(hit -> {
      assertThat(group).contains(hit.instance());
      assertThat(hit.thread()).as("handler thread").startsWith("frpc-worker-").doesNotStartWith("frpc-io-");
    });
    Map<Integer, List<Hit>> byNode = observed.stream().collect(Collectors.groupingBy(Hit::node));
    switch (combination.node()) {
      case BYID -> assertThat(byNode).containsOnlyKeys(2);
      case ALL -> assertThat(byNode).containsOnlyKeys(1, 2)
          .allSatisfy((node, nodeHits) -> assertThat(nodeHits).hasSize(OPERATIONS * instancesPerNode));
      case ONE -> {
        if (combination.instance() == InstanceChoice.MOD) {
          // The key also picks the node among the connected ones in id order: 7 mod 2 -> second, id 2.
          assertThat(byNode).containsOnlyKeys(2);
        } else {
          assertThat(byNode).as("round-robin over nodes").containsOnlyKeys(1, 2)
              .allSatisfy((node, nodeHits) -> assertThat(nodeHits).hasSize(expected / 2));
        }
      }
    }
    byNode.forEach((node, nodeHits) -> {
      Map<Integer, Long> perInstance = nodeHits.stream()
          .collect(Collectors.groupingBy(Hit::instance, Collectors.counting()));
      switch (combination.instance()) {
        case MOD -> assertThat(perInstance).as("mod(%d) sticks to one instance", KEY)
            .containsOnlyKeys(group.get((int) (KEY % group.size())));
        case BALANCE -> {
          long max = perInstance.values().stream().mapToLong(Long::longValue).max().orElseThrow();
          long min = group.stream().mapToLong(i -> perInstance.getOrDefault(i, 0L)).min().orElseThrow();
          assertThat(max - min).as("balance spreads evenly over %s: %s", group, perInstance).isLessThanOrEqualTo(1);
        }
        case BROADCAST -> {
          long operationsOnNode = nodeHits.size() / group.size();
          assertThat(perInstance).as("broadcast reaches every instance once per operation")
              .containsOnlyKeys(group).allSatisfy((instance, count) -> assertThat(count).isEqualTo(operationsOnNode));
        }
      }
    });
    if (combination.operation() != Operation.SEND) {
      assertThat(replies).as("call results name the instances that ran")
          .containsExactlyInAnyOrderElementsOf(observed.stream().map(Hit::where).toList());
    }
  }

  private List<Hit> hitsOf(String tag) {
    return hits.stream().filter(hit -> hit.tag().equals(tag)).toList();
  }

  /** Runs one operation; returns the instance locations the replies name (none for a send). */
  private List<String> run(Combination c, String tag) throws Exception {
    ModuleCall call = caller.frpc.module("game", "m");
    if (c.byName()) {
      call = call.instance("red");
    }
    if (c.node() == NodeChoice.BYID) {
      call = call.node(2);
    }
    if (c.instance() == InstanceChoice.MOD) {
      call = call.mod(KEY);
    }
    if (c.instance() == InstanceChoice.BROADCAST) {
      BroadcastCall broadcast = call.broadcast();
      if (c.node() == NodeChoice.ALL) {
        AllNodesBroadcastCall all = broadcast.allNodes();
        return switch (c.operation()) {
          case SEND -> sentToAll(all.send("visit", tag).get(10, TimeUnit.SECONDS));
          case CALL -> flatten(all.call("visit", String.class, tag));
          case ASYNC -> flatten(all.callAsync("visit", String.class, tag).get(10, TimeUnit.SECONDS));
        };
      }
      return switch (c.operation()) {
        case SEND -> sent(broadcast.send("visit", tag).get(10, TimeUnit.SECONDS));
        case CALL -> values(broadcast.call("visit", String.class, tag));
        case ASYNC -> values(broadcast.callAsync("visit", String.class, tag).get(10, TimeUnit.SECONDS));
      };
    }
    if (c.node() == NodeChoice.ALL) {
      AllNodesCall all = call.allNodes();
      return switch (c.operation()) {
        case SEND -> sentToAll(all.send("visit", tag).get(10, TimeUnit.SECONDS));
        case CALL -> fromAll(all.call("visit", String.class, tag), List::of);
        case ASYNC -> fromAll(all.callAsync("visit", String.class, tag).get(10, TimeUnit.SECONDS), List::of);
      };
    }
    return switch (c.operation()) {
      case SEND -> sent(call.send("visit", tag).get(10, TimeUnit.SECONDS));
      case CALL -> List.of(call.call("visit", String.class, tag));
      case ASYNC -> List.of(call.callAsync("visit", String.class, tag).get(10, TimeUnit.SECONDS));
    };
  }

  private static List<String> sent(Void written) {
    return List.of();
  }

  private static List<String> sentToAll(AllNodesReply<Void> reply) {
    assertThat(reply.failures()).isEmpty();
    assertThat(reply.replies()).containsOnlyKeys(1, 2);
    return List.of();
  }

  private static List<String> values(List<InstanceReply<String>> replies) {
    assertThat(replies).allSatisfy(reply -> assertThat(reply.succeeded()).isTrue());
    return replies.stream().map(InstanceReply::value).toList();
  }

  private static List<String> flatten(AllNodesReply<List<InstanceReply<String>>> reply) {
    return fromAll(reply, EveryRoutingCombinationTest::values);
  }

  private static <T> List<String> fromAll(AllNodesReply<T> reply, Function<T, List<String>> locations) {
    assertThat(reply.failures()).isEmpty();
    assertThat(reply.replies()).containsOnlyKeys(1, 2);
    List<String> result = new ArrayList<>();
    reply.replies().forEach((node, value) -> {
      List<String> where = locations.apply(value);
      assertThat(where).as("replies filed under node %d", node).allSatisfy(w -> assertThat(w).startsWith(node + "/"));
      result.addAll(where);
    });
    return result;
  }
}
