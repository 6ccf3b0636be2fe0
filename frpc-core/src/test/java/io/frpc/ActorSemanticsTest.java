package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An instance runs one message at a time in arrival order; {@code concurrent = true} opts out. */
class ActorSemanticsTest {

  /** Plain fields, no locks: lost or reordered updates would show. */
  public static final class Counter {
    private int count;
    private int outOfOrder;
    private int running;
    private int overlaps;

    public void increment(int sequence) {
      if (++running > 1) {
        overlaps++;
      }
      if (sequence != count) {
        outOfOrder++;
      }
      count++;
      running--;
    }

    public int[] state() {
      return new int[] {count, outOfOrder, overlaps};
    }
  }

  /** Blocks until released, counting how many calls run at the same time. */
  public static final class Gate {
    private final CountDownLatch release;
    private final AtomicInteger running;
    private final AtomicInteger peak;

    Gate(CountDownLatch release, AtomicInteger running, AtomicInteger peak) {
      this.release = release;
      this.running = running;
      this.peak = peak;
    }

    public int pass() throws InterruptedException {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await(10, TimeUnit.SECONDS);
        return peak.get();
      } finally {
        running.decrementAndGet();
      }
    }
  }

  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(TestNode::close);
  }

  @Test
  void tenThousandModSendsArriveCompleteAndInOrderAtOneInstance() {
    List<Counter> counters = new ArrayList<>();
    TestNode server = start(TestNode.inJvm("game", 1).module("counter", null, 4, i -> {
      Counter counter = new Counter();
      counters.add(counter);
      return counter;
    }));
    TestNode caller = start(TestNode.inJvm("caller", 1)).connectedTo(server);
    ModuleCall counter = caller.frpc.module("game", "counter").mod(7);

    for (int i = 0; i < 10_000; i++) {
      counter.send("increment", i);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> counter.call("state", int[].class)[0] == 10_000);
    assertThat(counter.call("state", int[].class)).as("count, out of order, overlapping").containsExactly(10_000, 0, 0);
    assertThat(counters.get(3).count).as("7 mod 4 = instance 3 got every message").isEqualTo(10_000);
    assertThat(counters.get(0).count + counters.get(1).count + counters.get(2).count).isZero();
  }

  @Test
  void aSlowInstanceDoesNotBlockOtherInstances() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    TestNode server = start(TestNode.inJvm("game", 1).module("gate", null, 2, i -> new Gate(release, running, peak)));
    TestNode caller = start(TestNode.inJvm("caller", 1)).connectedTo(server);

    CompletableFuture<Integer> blocked = caller.frpc.module("game", "gate").mod(0).callAsync("pass", Integer.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 1);
    CompletableFuture<Integer> other = caller.frpc.module("game", "gate").mod(1).callAsync("pass", Integer.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);
    release.countDown();

    assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void anActorInstanceRunsOneMessageAtATime() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    TestNode server = start(TestNode.inJvm("game", 1).module("gate", null, 1, i -> new Gate(release, running, peak)));
    TestNode caller = start(TestNode.inJvm("caller", 1)).connectedTo(server);

    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(caller.frpc.module("game", "gate").callAsync("pass", Integer.class));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 1);
    release.countDown();
    for (CompletableFuture<Integer> call : calls) {
      call.get(5, TimeUnit.SECONDS);
    }

    assertThat(peak.get()).isEqualTo(1);
  }

  @Test
  void aConcurrentInstanceRunsMessagesInParallel() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    TestNode server = start(TestNode.inJvm("game", 1)
        .module("gate", null, 1, true, 100, i -> new Gate(release, running, peak)));
    TestNode caller = start(TestNode.inJvm("caller", 1)).connectedTo(server);

    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(caller.frpc.module("game", "gate").callAsync("pass", Integer.class));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 4);
    release.countDown();
    for (CompletableFuture<Integer> call : calls) {
      call.get(5, TimeUnit.SECONDS);
    }

    assertThat(peak.get()).isEqualTo(4);
  }

  private TestNode start(TestNode.Builder builder) {
    TestNode node = builder.start();
    nodes.add(node);
    return node;
  }
}
