package io.frpc.sample.client;

import io.frpc.AllNodesReply;
import io.frpc.FrpcTemplate;
import io.frpc.InstanceReply;
import io.frpc.ModuleCall;
import io.frpc.NoNodeConnectedException;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.boot.CommandLineRunner;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/** Every call mode of the seed's frpc_client test_m, each checked against what SPEC §3 promises. */
@Component
class DemoScenario implements CommandLineRunner {

  private static final String NODE = "cluster_server";
  private static final TypeReference<List<Integer>> INTEGERS = new TypeReference<>() {
  };

  private final FrpcTemplate frpc;
  private final NodeWatcher watcher;
  private final TestPubListener testPubListener;
  private final TestClient typed;
  private int passed;
  private int failed;

  DemoScenario(FrpcTemplate frpc, NodeWatcher watcher, TestPubListener testPubListener, TestClient typed) {
    this.frpc = frpc;
    this.watcher = watcher;
    this.testPubListener = testPubListener;
    this.typed = typed;
  }

  int failures() {
    return failed;
  }

  int passes() {
    return passed;
  }

  @Override
  public void run(String... args) throws Exception {
    if (!watcher.awaitUp(Set.of(1, 2), Duration.ofSeconds(60))) {
      System.out.println("FAIL  nodes cluster_server:1 and :2 did not come up within 60 s");
      failed++;
      return;
    }
    typedClient();
    ModuleCall testM = frpc.module(NODE, "test_m");
    sends(testM);
    calls(testM);
    broadcasts(testM);
    byName(testM.instance("test_one"));
    largeMessages(testM);
    errors(testM);
    pubSub(new PubSubChecks(frpc));
    System.out.println();
    System.out.println(passed + " passed, " + failed + " failed");
  }

  private void sends(ModuleCall testM) {
    check("one_balance_send", () -> written(testM.send("hello", "one_balance_send")));
    check("one_mod_send", () -> written(testM.mod(7).send("hello", "one_mod_send")));
    check("byid_balance_send", () -> written(testM.node(1).send("hello", "byid_balance_send")));
    check("byid_mod_send", () -> written(testM.node(1).mod(7).send("hello", "byid_mod_send")));
    check("all_mod_send", () -> writtenToAll(testM.allNodes().mod(7).send("hello", "all_mod_send")));
    check("all_balance_send", () -> writtenToAll(testM.allNodes().send("hello", "all_balance_send")));
    check("one_broadcast", () -> written(testM.broadcast().send("hello", "one_broadcast")));
    check("all_broadcast", () -> writtenToAll(testM.allNodes().broadcast().send("hello", "all_broadcast")));
    check("byid_broadcast", () -> written(testM.node(1).broadcast().send("hello", "byid_broadcast")));
  }

  private void calls(ModuleCall testM) {
    check("one_balance_call x4", () -> {
      List<Pong> pongs = pings(testM, 4);
      expect(nodes(pongs).equals(Set.of(1, 2)), "round-robin (frpc.client.load-balancing) should reach both nodes: " + pongs);
      return "nodes " + nodes(pongs);
    });
    check("one_mod_call x3", () -> sticky(pings(testM.mod(42), 3)));
    check("byid_balance_call(2) x3", () -> {
      List<Pong> pongs = pings(testM.node(2), 3);
      expect(nodes(pongs).equals(Set.of(2)), "all replies should come from node 2: " + pongs);
      expect(instances(pongs).size() == 3, "balance should spread over instances: " + pongs);
      return "node 2, instances " + instances(pongs);
    });
    check("byid_mod_call(1) x3", () -> {
      List<Pong> pongs = pings(testM.node(1).mod(42), 3);
      expect(nodes(pongs).equals(Set.of(1)), "all replies should come from node 1: " + pongs);
      return sticky(pongs);
    });
    check("all_mod_call", () -> allPings(testM.allNodes().mod(42).call("ping", String.class)));
    check("all_balance_call", () -> allPings(testM.allNodes().call("ping", String.class)));
    check("one_balance_call async", () -> {
      Pong pong = Pong.parse(testM.callAsync("ping", String.class).get(5, TimeUnit.SECONDS));
      return pong.toString();
    });
  }

  private void broadcasts(ModuleCall testM) {
    check("one_broadcast_call", () -> broadcastPongs(testM.broadcast().call("ping", String.class), 6, null));
    check("byid_broadcast_call(1)", () -> {
      String detail = broadcastPongs(testM.node(1).broadcast().call("ping", String.class), 6, null);
      return "node 1, " + detail;
    });
    check("all_broadcast_call", () -> {
      AllNodesReply<List<InstanceReply<String>>> reply = testM.allNodes().broadcast().call("ping", String.class);
      expect(reply.allSucceeded() && reply.replies().keySet().equals(Set.of(1, 2)), "both nodes should answer: " + reply);
      for (List<InstanceReply<String>> perNode : reply.replies().values()) {
        broadcastPongs(perNode, 6, null);
      }
      return "nodes " + reply.replies().keySet() + ", 6 instances each";
    });
  }

  private void byName(ModuleCall testOne) {
    check("one_balance_send_by_name", () -> written(testOne.send("hello", "one_balance_send_by_name")));
    check("one_mod_send_by_name", () -> written(testOne.mod(7).send("hello", "one_mod_send_by_name")));
    check("byid_balance_send_by_name", () -> written(testOne.node(2).send("hello", "byid_balance_send_by_name")));
    check("byid_mod_send_by_name", () -> written(testOne.node(2).mod(7).send("hello", "byid_mod_send_by_name")));
    check("one_balance_call_by_name x3", () -> named(pings(testOne, 3)));
    check("one_mod_call_by_name x3", () -> {
      List<Pong> pongs = pings(testOne.mod(9), 3);
      sticky(pongs);
      return named(pongs);
    });
    check("byid_balance_call_by_name(2) x3", () -> {
      List<Pong> pongs = pings(testOne.node(2), 3);
      expect(nodes(pongs).equals(Set.of(2)) && instances(pongs).size() == 3, "node 2, three instances: " + pongs);
      return named(pongs);
    });
    check("byid_mod_call_by_name(2) x3", () -> {
      List<Pong> pongs = pings(testOne.node(2).mod(9), 3);
      expect(nodes(pongs).equals(Set.of(2)), "node 2 only: " + pongs);
      sticky(pongs);
      return named(pongs);
    });
    check("all_mod_send_by_name", () -> writtenToAll(testOne.allNodes().mod(7).send("hello", "all_mod_send_by_name")));
    check("all_mod_call_by_name", () -> allNamed(testOne.allNodes().mod(7).call("ping", String.class)));
    check("all_balance_send_by_name", () -> writtenToAll(testOne.allNodes().send("hello", "all_balance_send_by_name")));
    check("all_balance_call_by_name", () -> allNamed(testOne.allNodes().call("ping", String.class)));
    check("one_broadcast_by_name", () -> written(testOne.broadcast().send("hello", "one_broadcast_by_name")));
    check("all_broadcast_by_name", () -> writtenToAll(testOne.allNodes().broadcast().send("hello", "all_broadcast_by_name")));
    check("byid_broadcast_by_name", () -> written(testOne.node(2).broadcast().send("hello", "byid_broadcast_by_name")));
    check("byid_broadcast_call_by_name(2)", () ->
        broadcastPongs(testOne.node(2).broadcast().call("ping", String.class), 3, "test_one"));
  }

  private void largeMessages(ModuleCall testM) {
    List<Integer> numbers = IntStream.range(0, 20_000).boxed().toList();
    Function<List<Integer>, String> same = echoed -> {
      expect(numbers.equals(echoed), "echo differs from the 20,000 numbers sent");
      return "20,000 numbers echoed";
    };
    check("large_msg one_balance_call", () -> same.apply(testM.call("large_msg", INTEGERS, numbers)));
    check("large_msg one_mod_call", () -> same.apply(testM.mod(3).call("large_msg", INTEGERS, numbers)));
    check("large_msg byid_balance_call(2)", () -> same.apply(testM.node(2).call("large_msg", INTEGERS, numbers)));
    check("large_msg byid_mod_call(1)", () -> same.apply(testM.node(1).mod(3).call("large_msg", INTEGERS, numbers)));
    check("large_msg by_name call", () -> same.apply(testM.instance("test_two").call("large_msg", INTEGERS, numbers)));
    check("large_msg all_balance_call", () -> allSame(testM.allNodes().call("large_msg", INTEGERS, numbers), same));
    check("large_msg all_mod_call", () -> allSame(testM.allNodes().mod(3).call("large_msg", INTEGERS, numbers), same));
    check("large_msg one_broadcast_call", () -> {
      List<InstanceReply<List<Integer>>> replies = testM.broadcast().call("large_msg", INTEGERS, numbers);
      expect(replies.size() == 6, "6 replies expected");
      replies.forEach(r -> same.apply(r.value()));
      return "6 instances echoed 20,000 numbers";
    });
    check("large_msg all_broadcast_call", () -> {
      AllNodesReply<List<InstanceReply<List<Integer>>>> reply =
          testM.allNodes().broadcast().call("large_msg", INTEGERS, numbers);
      expect(reply.allSucceeded() && reply.replies().size() == 2, "both nodes should answer");
      reply.replies().values().forEach(perNode -> perNode.forEach(r -> same.apply(r.value())));
      return "2 nodes x 6 instances echoed 20,000 numbers";
    });
    check("large_msg sends", () -> {
      written(testM.send("large_msg", numbers));
      writtenToAll(testM.allNodes().broadcast().send("large_msg", numbers));
      return "written";
    });
  }

  private void errors(ModuleCall testM) {
    check("no such node id -> no-node error after the wait", () -> {
      long start = System.nanoTime();
      try {
        testM.node(3).call("ping", String.class);
        throw new AssertionError("a call to node 3 should fail");
      } catch (NoNodeConnectedException e) {
        return e.getMessage() + " (after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)";
      }
    });
    check("call_error_test -> remote error", () -> {
      try {
        testM.call("call_error_test", String.class);
        throw new AssertionError("call_error_test should fail");
      } catch (RemoteCallException e) {
        expect(e.code() == RemoteErrorCode.COMMAND_FAILED
            && "java.lang.IllegalStateException".equals(e.remoteType()), "unexpected error " + e);
        return e.remoteType() + ": " + e.remoteMessage();
      }
    });
    check("unknown command -> remote error", () -> {
      try {
        testM.call("no_such_command", String.class);
        throw new AssertionError("an unknown command should fail");
      } catch (RemoteCallException e) {
        expect(e.code() == RemoteErrorCode.UNKNOWN_COMMAND, "unexpected error " + e);
        return e.remoteMessage();
      }
    });
    check("all call_same_error_test -> partial failure", () -> {
      AllNodesReply<String> reply = testM.allNodes().call("call_same_error_test", String.class);
      expect(reply.replies().keySet().equals(Set.of(1)) && reply.failures().keySet().equals(Set.of(2)),
          "node 1 should succeed and node 2 fail: " + reply);
      return "replies " + reply.replies() + ", failures " + reply.failures().keySet();
    });
  }

  /** The same module through the typed client {@link TestClient}. */
  private void typedClient() {
    check("typed ping()", () -> Pong.parse(typed.ping()).toString());
    check("typed pingNode(@Node 2)", () -> {
      Pong pong = Pong.parse(typed.pingNode(2));
      expect(pong.node() == 2, "the reply should come from node 2: " + pong);
      return pong.toString();
    });
    check("typed pingTestOne(@Mod 42) x3", () -> {
      List<Pong> pongs = List.of(Pong.parse(typed.pingTestOne(42)), Pong.parse(typed.pingTestOne(42)),
          Pong.parse(typed.pingTestOne(42)));
      named(pongs);
      return sticky(pongs);
    });
    check("typed @Broadcast pingEveryInstance()", () -> broadcastPongs(typed.pingEveryInstance(), 6, null));
    check("typed @AllNodes pingEveryNode()", () -> allPings(typed.pingEveryNode()));
    check("typed @Send hello()", () -> {
      typed.hello("typed client");
      return "sent";
    });
    check("typed largeMessage(List<Integer>)", () -> {
      List<Integer> numbers = java.util.stream.IntStream.range(0, 1000).boxed().toList();
      expect(typed.largeMessage(numbers).equals(numbers), "the numbers should come back");
      return "echoed 1,000 numbers";
    });
  }

  private void pubSub(PubSubChecks checks) {
    check("sub test_pub (every node)", checks::subscribeByName);
    check("sub test_pub byid(2)", checks::subscribeById);
    check("unsub test_pub", checks::unsubscribe);
    check("subsyn name1:age:address byid(1)", checks::watchStateById);
    check("psubsyn *:age:address", checks::watchStatePattern);
    check("@FrpcSubscribe test_pub", () -> checks.declarative(testPubListener));
  }

  private void check(String name, Callable<String> body) {
    try {
      String detail = body.call();
      passed++;
      System.out.printf("PASS  %-34s %s%n", name, detail);
    } catch (Throwable e) {
      failed++;
      System.out.printf("FAIL  %-34s %s%n", name, e);
    }
  }

  private static void expect(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private static String written(CompletableFuture<Void> send) throws Exception {
    send.get(5, TimeUnit.SECONDS);
    return "written";
  }

  private static String writtenToAll(CompletableFuture<AllNodesReply<Void>> send) throws Exception {
    AllNodesReply<Void> reply = send.get(5, TimeUnit.SECONDS);
    expect(reply.allSucceeded() && reply.nodeCount() == 2, "should be written to both nodes: " + reply);
    return "written to nodes " + reply.replies().keySet();
  }

  private static List<Pong> pings(ModuleCall call, int times) {
    List<Pong> pongs = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      pongs.add(Pong.parse(call.call("ping", String.class)));
    }
    return pongs;
  }

  private static String sticky(List<Pong> pongs) {
    expect(new HashSet<>(pongs).size() == 1, "mod should always reach the same instance: " + pongs);
    return pongs.get(0).toString();
  }

  private static String named(List<Pong> pongs) {
    expect(pongs.stream().allMatch(p -> p.name().equals("test_one")), "only test_one instances: " + pongs);
    return "all test_one: " + pongs.stream().map(Pong::toString).collect(Collectors.joining(", "));
  }

  private static String allPings(AllNodesReply<String> reply) {
    expect(reply.allSucceeded() && reply.replies().keySet().equals(Set.of(1, 2)), "both nodes should answer: " + reply);
    for (Map.Entry<Integer, String> entry : reply.replies().entrySet()) {
      expect(Pong.parse(entry.getValue()).node() == entry.getKey(), "reply filed under the wrong node: " + reply);
    }
    return "nodes " + reply.replies().keySet();
  }

  private static String allNamed(AllNodesReply<String> reply) {
    allPings(reply);
    return named(reply.replies().values().stream().map(Pong::parse).toList());
  }

  private static <T> String allSame(AllNodesReply<T> reply, Function<T, String> check) {
    expect(reply.allSucceeded() && reply.replies().size() == 2, "both nodes should answer: " + reply.failures());
    reply.replies().values().forEach(check::apply);
    return "nodes " + reply.replies().keySet() + " echoed 20,000 numbers";
  }

  private static String broadcastPongs(List<InstanceReply<String>> replies, int expected, String name) {
    expect(replies.size() == expected, expected + " replies expected but got " + replies.size());
    Set<String> instances = new HashSet<>();
    for (InstanceReply<String> reply : replies) {
      expect(reply.succeeded(), "instance failed: " + reply.error());
      Pong pong = Pong.parse(reply.value());
      expect(name == null || name.equals(pong.name()), "only " + name + " instances expected: " + pong);
      expect(pong.name().equals(reply.instanceName()) && pong.instance() == reply.index(),
          "the reply should carry the instance's name and index: " + reply);
      instances.add(pong.name() + "#" + pong.instance());
    }
    expect(instances.size() == expected, "every instance should answer once: " + instances);
    return expected + " instances answered";
  }

  private static Set<Integer> nodes(List<Pong> pongs) {
    return pongs.stream().map(Pong::node).collect(Collectors.toSet());
  }

  /** Distinct instances: an index is unique within its instance name. */
  private static Set<String> instances(List<Pong> pongs) {
    return pongs.stream().map(pong -> pong.name() + "#" + pong.instance()).collect(Collectors.toSet());
  }

  /** A parsed {@code ping} reply: "pong name=test_one node=1 instance=2" (index within the instance name). */
  record Pong(String name, int node, int instance) {
    static Pong parse(String text) {
      Map<String, String> fields = Arrays.stream(text.split(" ")).skip(1)
          .map(kv -> kv.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
      return new Pong(fields.get("name"), Integer.parseInt(fields.get("node")), Integer.parseInt(fields.get("instance")));
    }

    @Override
    public String toString() {
      return name + "@" + node + "#" + instance;
    }
  }
}
