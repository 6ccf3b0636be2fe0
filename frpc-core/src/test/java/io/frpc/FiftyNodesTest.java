package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One caller and 50 serving nodes in one JVM, over real TCP: connections, fan-out and node events at that size. */
@ExtendWith(NettyLeakExtension.class)
class FiftyNodesTest {

  private static final int NODES = 50;

  /** Module {@code where}: tells which node answered. */
  public static final class Where {
    private final int id;

    Where(int id) {
      this.id = id;
    }

    public int id() {
      return id;
    }
  }

  @Test
  void oneCallerConnectsToFiftyNodesReachesThemAllAndSeesEveryOneLeave() {
    List<TestNode> servers = new ArrayList<>();
    List<String> events = new CopyOnWriteArrayList<>();
    TestNode caller = null;
    try {
      Map<NodeId, HostPort> addresses = new LinkedHashMap<>();
      for (int id = 1; id <= NODES; id++) {
        int self = id;
        TestNode server = TestNode.builder("game", id).configure(node -> node.ioThreads(1))
            .module("where", null, 1, index -> new Where(self)).start();
        servers.add(server);
        addresses.put(server.id(), new HostPort("127.0.0.1", server.port()));
      }
      long start = System.nanoTime();
      caller = TestNode.builder("lobby", 1).configure(node -> node.serve(false)
          .discovery(new StaticNodeDiscovery(addresses)).listener(new NodeEventLog(events))).start();
      await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= NODES);
      long connected = System.nanoTime();
      assertThat(events).containsExactlyInAnyOrderElementsOf(
          IntStream.rangeClosed(1, NODES).mapToObj(id -> "up game:" + id).toList());

      FrpcTemplate frpc = caller.frpc;
      AllNodesReply<Integer> reply = frpc.module("game", "where").allNodes().call("id", Integer.class);
      assertThat(reply.allSucceeded()).as("failures: %s", reply.failures()).isTrue();
      assertThat(reply.replies()).hasSize(NODES).allSatisfy((id, answer) -> assertThat(answer).isEqualTo(id));
      System.out.printf("MEASURED one caller, %d nodes: all connected %d ms after the caller started%n", NODES,
          TimeUnit.NANOSECONDS.toMillis(connected - start));

      for (TestNode leaving : servers.subList(NODES - 10, NODES)) {
        leaving.close();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= NODES + 10);
      assertThat(events.subList(NODES, events.size())).containsExactlyInAnyOrderElementsOf(
          IntStream.rangeClosed(NODES - 9, NODES).mapToObj(id -> "down game:" + id + " SHUTDOWN").toList());
      AllNodesReply<Integer> remaining = frpc.module("game", "where").allNodes().call("id", Integer.class);
      assertThat(remaining.replies().keySet()).containsExactlyElementsOf(
          IntStream.rangeClosed(1, NODES - 10).boxed().toList());
      assertThat(remaining.failures()).isEmpty();
    } finally {
      if (caller != null) {
        caller.close();
      }
      servers.forEach(TestNode::close);
    }
  }
}
