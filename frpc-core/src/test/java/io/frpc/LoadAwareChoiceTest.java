package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three real nodes of one name on loopback, one of them 20 ms slower per call, and a few callers calling the name
 * without a node id: least-loaded choice sends the slow node few calls, round robin a third of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadAwareChoiceTest {

  private static final int SLOW_NODE = 3;
  private static final int CALLERS = 4;
  private static final int CALLS_PER_CALLER = 150;

  /** Handler of module {@code work}: answers with its node's id, on node {@value #SLOW_NODE} 20 ms late. */
  public static final class Work {
    private final int node;

    Work(int node) {
      this.node = node;
    }

    public int which() throws InterruptedException {
      if (node == SLOW_NODE) {
        Thread.sleep(20); // the slowness under test, not a wait for something to happen
      }
      return node;
    }
  }

  private final List<TestNode> servers = new ArrayList<>();
  private ExecutorService callers;

  @BeforeAll
  void startServers() throws Exception {
    for (int id = 1; id <= 3; id++) {
      int node = id;
      servers.add(TestNode.inJvm("work", id).module("work", null, 1, true, 10_000, i -> new Work(node)).start());
    }
    callers = Executors.newFixedThreadPool(CALLERS);
    // Warm this JVM's code paths up through another caller, so the measured callers' first round trips are not
    // class loading and interpretation, which would look like a slow node for seconds.
    try (TestNode warmUp = caller(LoadBalancing.ROUND_ROBIN)) {
      callsPerNode(warmUp);
    }
  }

  @AfterAll
  void stop() {
    callers.shutdownNow();
    servers.forEach(TestNode::close);
  }

  private TestNode caller(LoadBalancing balancing) {
    TestNode caller = TestNode.inJvm("caller", 1).configure(b -> b.serve(false).loadBalancing(balancing)).start();
    servers.forEach(caller::connectedTo);
    return caller;
  }

  /** {@value #CALLERS} threads each make {@value #CALLS_PER_CALLER} calls; the number each node answered. */
  private Map<Integer, Integer> callsPerNode(TestNode caller) throws Exception {
    ModuleCall work = caller.frpc.module("work", "work");
    List<Future<List<Integer>>> answers = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      answers.add(callers.submit(() -> {
        List<Integer> nodes = new ArrayList<>();
        for (int i = 0; i < CALLS_PER_CALLER; i++) {
          nodes.add(work.call("which", Integer.class));
        }
        return nodes;
      }));
    }
    Map<Integer, Integer> perNode = new TreeMap<>();
    for (Future<List<Integer>> answer : answers) {
      answer.get(60, TimeUnit.SECONDS).forEach(node -> perNode.merge(node, 1, Integer::sum));
    }
    return perNode;
  }

  private static double slowShare(Map<Integer, Integer> perNode) {
    return perNode.getOrDefault(SLOW_NODE, 0) / (double) (CALLERS * CALLS_PER_CALLER);
  }

  @Test
  void leastLoadedSendsANodeThatAnswers20MsLaterFarFewerThanAThirdOfTheCalls() throws Exception {
    try (TestNode caller = caller(LoadBalancing.LEAST_LOADED)) {
      Map<Integer, Integer> perNode = callsPerNode(caller);

      assertThat(slowShare(perNode)).as("share of the slow node in %s", perNode).isLessThan(0.20);
      assertThat(perNode).as("both fast nodes take calls").containsKeys(1, 2);
    }
  }

  @Test
  void roundRobinSendsEveryNodeAThirdOfTheCallsHoweverSlow() throws Exception {
    try (TestNode caller = caller(LoadBalancing.ROUND_ROBIN)) {
      Map<Integer, Integer> perNode = callsPerNode(caller);

      assertThat(slowShare(perNode)).as("share of the slow node in %s", perNode).isBetween(0.30, 0.37);
    }
  }
}
