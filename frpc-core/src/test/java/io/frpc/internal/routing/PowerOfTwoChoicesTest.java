package io.frpc.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Least-loaded choice over plain values: the less loaded of two distinct random nodes, by
 * {@code (pending + 1) × average round trip}, with a seeded random source.
 */
class PowerOfTwoChoicesTest {

  private static final long MS = 1_000_000;
  private static final int DRAWS = 30_000;

  /** A node as the choice sees it; {@code latencyNanos} -1 when it has no finished call yet. */
  private record Node(String name, int pending, long latencyNanos) {
  }

  private final SplittableRandom random = new SplittableRandom(23);
  private final PowerOfTwoChoices<Node> choice = new PowerOfTwoChoices<>(Node::pending, Node::latencyNanos,
      () -> random);

  private Map<String, Double> shares(Node... nodes) {
    Map<String, Double> shares = new TreeMap<>();
    for (int i = 0; i < DRAWS; i++) {
      shares.merge(choice.choose(nodes).name(), 1.0 / DRAWS, Double::sum);
    }
    return shares;
  }

  @Test
  void withoutNodesThereIsNoChoice() {
    assertThat(choice.choose(new Node[0])).isNull();
  }

  @Test
  void aSingleNodeIsAlwaysChosenHoweverLoaded() {
    Node only = new Node("only", 1_000, 5_000 * MS);

    assertThat(shares(only)).containsOnlyKeys("only");
  }

  @Test
  void equalNodesGetEqualShares() {
    Map<String, Double> shares = shares(new Node("a", 2, MS), new Node("b", 2, MS), new Node("c", 2, MS),
        new Node("d", 2, MS));

    assertThat(shares).containsOnlyKeys("a", "b", "c", "d")
        .allSatisfy((name, share) -> assertThat(share).as(name).isCloseTo(0.25, within(0.015)));
  }

  /** Were the same node drawn twice, the busier of two would win a quarter of the time. */
  @Test
  void ofTwoNodesTheLessLoadedIsAlwaysChosenBecauseTheTwoCandidatesDiffer() {
    assertThat(shares(new Node("busy", 5, MS), new Node("idle", 0, MS))).containsOnlyKeys("idle");
  }

  @Test
  void aNodeWithManyPendingCallsLosesEveryComparisonItIsDrawnInto() {
    Map<String, Double> shares = shares(new Node("a", 1, MS), new Node("queued", 40, MS), new Node("c", 1, MS));

    assertThat(shares).doesNotContainKey("queued");
    assertThat(shares.get("a")).isCloseTo(0.5, within(0.02));
  }

  @Test
  void aNodeWithAHighAverageRoundTripLosesEveryComparisonItIsDrawnInto() {
    Map<String, Double> shares = shares(new Node("a", 1, MS), new Node("slow", 1, 20 * MS), new Node("c", 1, MS));

    assertThat(shares).doesNotContainKey("slow");
  }

  @Test
  void aSlowIdleNodeWinsOnceAFastNodesQueueOutweighsTheRatioOfTheirRoundTrips() {
    Node slowIdle = new Node("slow", 0, 4 * MS);

    assertThat(shares(slowIdle, new Node("fast", 2, MS))).as("4 ms against 3 × 1 ms").containsOnlyKeys("fast");
    assertThat(shares(slowIdle, new Node("fast", 4, MS))).as("4 ms against 5 × 1 ms").containsOnlyKeys("slow");
  }

  /** Not every call until its first reply (as with a latency of zero), and not none. */
  @Test
  void aNodeWithoutAFinishedCallIsComparedByItsPendingCallsAlone() {
    Node known = new Node("known", 1, 10 * MS);

    assertThat(shares(new Node("new", 0, -1), known)).containsOnlyKeys("new");
    assertThat(shares(new Node("new", 2, -1), known)).containsOnlyKeys("known");
    assertThat(shares(new Node("new", 1, -1), new Node("other new", 3, -1))).containsOnlyKeys("new");
  }

  @Test
  void anAverageNearZeroStillCountsTheNodesPendingCalls() {
    Node decayed = new Node("decayed", 3, 0);

    assertThat(shares(decayed, new Node("idle", 0, 2_000))).as("4 × the 1 µs floor against 2 µs")
        .containsOnlyKeys("idle");
  }
}
