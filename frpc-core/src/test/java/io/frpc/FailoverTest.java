package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.observability.FrpcObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Failover and retries over real connections, under 8 calling threads against 3 nodes of one name: a rolling restart
 * of every node fails no call; a kill -9 of one fails no idempotent call, and a non-idempotent one only where its
 * request was in flight on the killed node; a node that refuses calls unrun (overloaded) never fails a call while
 * another node is up; and with every node refusing, the extra attempts stay within the retry budget.
 */
class FailoverTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<TestNode> nodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TestNode::close);
  }

  private TestNode server(int id, int port) {
    TestNode node = TestNode.builder("game", id).port(port)
        .handler(HandlerDefinition.of("svc", null, 4, GracefulDrainTest.Service::new))
        .configure(b -> b.shutdownTimeout(Duration.ofSeconds(10))).start();
    nodes.add(node);
    return node;
  }

  private TestNode caller(FrpcObserver observer) {
    return caller(observer, FrpcNode.DEFAULT_LOAD_BALANCING);
  }

  private TestNode caller(FrpcObserver observer, LoadBalancing balancing) {
    TestNode caller = TestNode.builder("caller", 1).configure(b -> b.observer(observer).loadBalancing(balancing))
        .start();
    nodes.add(caller);
    return caller;
  }

  /** 8 threads calling {@code svc.slow} on any game node: the first 4 idempotent, the others not. */
  private static final class Load {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong calls = new AtomicLong();
    final List<Throwable> idempotentFailures = new CopyOnWriteArrayList<>();
    final List<Throwable> otherFailures = new CopyOnWriteArrayList<>();
    final ExecutorService threads = Executors.newFixedThreadPool(8);

    Load(TestNode caller, int millis) {
      for (int t = 0; t < 8; t++) {
        boolean idempotent = t < 4;
        threads.execute(() -> {
          ModuleCall svc = caller.frpc.module("game", "svc");
          ModuleCall call = idempotent ? svc.idempotent() : svc;
          while (running.get()) {
            try {
              call.call("slow", Integer.class, millis);
              calls.incrementAndGet();
            } catch (RuntimeException e) {
              (idempotent ? idempotentFailures : otherFailures).add(e);
            }
          }
        });
      }
    }

    void runsAnother(int count) {
      long before = calls.get();
      await().atMost(WAIT).until(() -> calls.get() > before + count);
    }

    void stop() throws InterruptedException {
      running.set(false);
      threads.shutdown();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aRollingRestartOfEveryNodeUnderLoadFailsNoCall() throws Exception {
    TestNode[] servers = {server(1, 0), server(2, 0), server(3, 0)};
    TestNode caller = caller(FrpcObserver.NONE);
    for (TestNode server : servers) {
      caller.connectedTo(server);
    }
    Load load = new Load(caller, 2);

    for (int i = 0; i < 3; i++) {
      load.runsAnother(300);
      int port = servers[i].port();
      servers[i].close();
      nodes.remove(servers[i]);
      servers[i] = server(i + 1, port);
      int id = i + 1;
      await().atMost(WAIT).until(() -> caller.frpc.isActive("game", id));
    }
    load.runsAnother(300);
    load.stop();

    System.out.printf("MEASURED rolling restart of 3 nodes, 8 threads: %,d calls, %d idempotent and %d other failed%n",
        load.calls.get(), load.idempotentFailures.size(), load.otherFailures.size());
    assertThat(load.idempotentFailures).isEmpty();
    assertThat(load.otherFailures).isEmpty();
  }

  @Test
  void aKilledNodeFailsNoIdempotentCallAndOnlyTheOtherCallsInFlightOnIt() throws Exception {
    TestNode first = server(1, 0);
    TestNode second = server(2, 0);
    int port = freePort();
    // node 3 runs in a process of its own, killed with SIGKILL while the callers are busy
    Process third = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "-Xmx128m", KillableNode.class.getName(), "3", String.valueOf(port))
        .redirectErrorStream(true).start();
    try {
      BufferedReader output = new BufferedReader(new InputStreamReader(third.getInputStream()));
      String line;
      do {
        line = output.readLine();
      } while (line != null && !line.equals("READY"));
      assertThat(line).as("node 3's process started").isEqualTo("READY");
      TestNode caller = caller(FrpcObserver.NONE);
      caller.connectedTo(first).connectedTo(second);
      caller.client.nodeAvailable(new NodeId("game", 3), "127.0.0.1", port);
      await().atMost(WAIT).until(() -> caller.frpc.isActive("game", 3));
      Load load = new Load(caller, 20);

      load.runsAnother(200);
      third.destroyForcibly();
      assertThat(third.waitFor(10, TimeUnit.SECONDS)).isTrue();
      load.runsAnother(200);
      load.stop();

      System.out.printf("MEASURED kill -9 of 1 of 3 nodes, 8 threads: %,d calls; idempotent failed %d, "
          + "non-idempotent failed %d (%s)%n", load.calls.get(), load.idempotentFailures.size(),
          load.otherFailures.size(), load.otherFailures.stream().map(Throwable::getMessage).toList());
      assertThat(load.idempotentFailures).as("idempotent calls are retried on another node").isEmpty();
      // at most one call per non-idempotent thread was in flight on node 3, and each may have run there
      assertThat(load.otherFailures).hasSizeLessThanOrEqualTo(4).allSatisfy(failure -> assertThat(failure)
          .isInstanceOfSatisfying(ConnectionLostException.class, lost -> {
            assertThat(lost.mayHaveRun()).isTrue();
            assertThat(lost.node()).isEqualTo(new NodeId("game", 3));
          }));
    } finally {
      third.destroyForcibly();
    }
  }

  /** Module "svc" with one instance and room for one message: held by {@code hold}, it refuses everything else. */
  public static final class Busy {
    final CountDownLatch release = new CountDownLatch(1);

    public int hold() throws InterruptedException {
      release.await(60, TimeUnit.SECONDS);
      return 0;
    }

    public int slow(int millis) {
      return millis;
    }
  }

  private TestNode busyServer(int id, Busy busy) {
    TestNode node = TestNode.builder("game", id).module("svc", null, 1, false, 1, i -> busy).start();
    nodes.add(node);
    return node;
  }

  /** Holds the only mailbox slot of node {@code id}, which then refuses every other call as overloaded. */
  private static CompletableFuture<Integer> hold(TestNode caller, TestNode server, int id) {
    CompletableFuture<Integer> held = caller.frpc.module("game", "svc").node(id).callAsync("hold", Integer.class);
    await().atMost(WAIT).until(() -> server.requestsInFlight() == 1);
    return held;
  }

  @ParameterizedTest
  @EnumSource(LoadBalancing.class)
  void aNodeThatRefusesOverloadedNeverFailsACallWhileAnotherNodeIsUp(LoadBalancing balancing) throws Exception {
    Busy busy = new Busy();
    TestNode overloaded = busyServer(1, busy);
    TestNode healthy = server(2, 0);
    List<String> retries = new CopyOnWriteArrayList<>();
    TestNode caller = caller(new FrpcObserver() {
      @Override
      public void callRetried(String nodeName, String module, String command, String kind) {
        retries.add(kind);
      }
    }, balancing);
    caller.connectedTo(overloaded).connectedTo(healthy);
    CompletableFuture<Integer> held = hold(caller, overloaded, 1);

    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      try {
        assertThat(caller.frpc.module("game", "svc").call("slow", Integer.class, 1)).isEqualTo(1);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    busy.release.countDown();
    held.join();

    assertThat(failures).as("not idempotent, yet never run on the overloaded node: moved").isEmpty();
    assertThat(retries).allMatch("FAILOVER"::equals);
    if (balancing == LoadBalancing.ROUND_ROBIN) {
      // the first call goes to node 1; afterwards it is passed over for a while after each refusal
      assertThat(retries).isNotEmpty().hasSizeLessThan(100);
    }
  }

  @Test
  void withEveryNodeRefusingTheExtraAttemptsStayWithinTheRetryBudget() throws Exception {
    Busy[] busy = {new Busy(), new Busy(), new Busy()};
    TestNode[] servers = {busyServer(1, busy[0]), busyServer(2, busy[1]), busyServer(3, busy[2])};
    AtomicLong retried = new AtomicLong();
    AtomicLong denied = new AtomicLong();
    // the budget fills per second from the caller's start
    long started = System.nanoTime();
    TestNode caller = caller(new FrpcObserver() {
      @Override
      public void callRetried(String nodeName, String module, String command, String kind) {
        retried.incrementAndGet();
      }

      @Override
      public void retryDenied(String nodeName, String module, String command) {
        denied.incrementAndGet();
      }
    });
    List<CompletableFuture<Integer>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      caller.connectedTo(servers[i]);
      held.add(hold(caller, servers[i], i + 1));
    }
    AtomicLong calls = new AtomicLong();
    AtomicLong failed = new AtomicLong();

    ExecutorService threads = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      threads.execute(() -> {
        for (int i = 0; i < 500; i++) {
          calls.incrementAndGet();
          try {
            caller.frpc.module("game", "svc").call("slow", Integer.class, 1);
          } catch (OverloadedException e) {
            failed.incrementAndGet();
          }
        }
      });
    }
    threads.shutdown();
    assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    double seconds = (System.nanoTime() - started) / 1e9;
    for (Busy each : busy) {
      each.release.countDown();
    }
    held.forEach(CompletableFuture::join);

    // FrpcNode defaults: ratio 0.2, 10 per second, a burst of at most 100
    double budget = 100 + 0.2 * calls.get() + 10 * seconds;
    System.out.printf("MEASURED every node refusing, 8 threads: %,d calls in %.1f s, all failed: %s; extra attempts "
        + "%,d (without a budget up to %,d), budget %.0f, %,d retries refused%n", calls.get(), seconds,
        failed.get() == calls.get(), retried.get(), 2 * calls.get(), budget, denied.get());
    assertThat(failed.get()).isEqualTo(calls.get());
    assertThat((double) retried.get()).isLessThanOrEqualTo(budget);
    assertThat(denied.get()).as("the budget did refuse retries").isPositive();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A typed client of GracefulDrainTest.Service: {@code slow} declared idempotent by one method, not by the other. */
  @io.frpc.client.FrpcClient(node = "game", module = "svc")
  public interface Svc {
    @FrpcCommand(value = "slow", idempotent = true)
    int slowIdempotent(int millis);

    @FrpcCommand("slow")
    int slow(int millis);
  }

  @Test
  void aTypedClientMethodDeclaredIdempotentIsRetriedAfterALossThatMayHaveRunAndTheOtherIsNot() throws Exception {
    TestNode server = server(1, 0);
    try (Relay relay = new Relay(server.port())) {
      TestNode caller = caller(FrpcObserver.NONE);
      caller.client.nodeAvailable(server.id(), "127.0.0.1", relay.port());
      await().atMost(WAIT).until(() -> caller.frpc.isActive("game", 1));
      Svc svc = caller.frpc.client(Svc.class);

      CompletableFuture<Integer> idempotent = CompletableFuture.supplyAsync(() -> svc.slowIdempotent(500));
      await().atMost(WAIT).until(() -> server.requestsInFlight() == 1);
      relay.cut();
      assertThat(idempotent.get(20, TimeUnit.SECONDS)).as("retried once the node was back").isEqualTo(500);

      await().atMost(WAIT).until(() -> caller.frpc.isActive("game", 1) && server.requestsInFlight() == 0);
      CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> svc.slow(500));
      await().atMost(WAIT).until(() -> server.requestsInFlight() == 1);
      relay.cut();
      assertThat(other).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause().isInstanceOfSatisfying(ConnectionLostException.class,
              lost -> assertThat(lost.mayHaveRun()).isTrue());
    }
  }

  /** Module "svc" whose {@code answer} is slow on node 1 and fast elsewhere. */
  public static final class Uneven {
    private final int node;

    Uneven(FrpcInstance self) {
      this.node = self.node().id();
    }

    public int answer() throws InterruptedException {
      if (node == 1) {
        Thread.sleep(2_000);
      }
      return node;
    }
  }

  @Test
  void aHedgedCallIsAnsweredByTheFastNodeAndTheSlowAttemptIsCancelled() {
    List<String> outcomesOnSlowNode = new CopyOnWriteArrayList<>();
    TestNode slow = TestNode.builder("game", 1).handler(HandlerDefinition.of("svc", null, 4, Uneven::new)
        .runConcurrently()).configure(b -> b.observer(new FrpcObserver() {
          @Override
          public void requestCompleted(String module, String command, String outcome, long nanos) {
            outcomesOnSlowNode.add(outcome);
          }
        })).start();
    nodes.add(slow);
    TestNode fast = TestNode.builder("game", 2).handler(HandlerDefinition.of("svc", null, 4, Uneven::new)
        .runConcurrently()).start();
    nodes.add(fast);
    List<String> retries = new CopyOnWriteArrayList<>();
    // round robin sends every call to node 1 first (the hedge takes node 2's turn): each call is hedged
    TestNode caller = caller(new FrpcObserver() {
      @Override
      public void callRetried(String nodeName, String module, String command, String kind) {
        retries.add(kind);
      }
    }, LoadBalancing.ROUND_ROBIN);
    caller.connectedTo(slow).connectedTo(fast);

    ModuleCall hedged = caller.frpc.module("game", "svc").timeout(Duration.ofSeconds(5)).hedge(Duration.ofMillis(50));
    for (int i = 0; i < 6; i++) {
      long started = System.nanoTime();
      assertThat(hedged.call("answer", Integer.class)).isEqualTo(2);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("never waits for the slow node")
          .isLessThan(1_000);
    }

    assertThat(retries).as("every call that went to node 1 first was hedged").isNotEmpty().allMatch("HEDGE"::equals);
    await().atMost(WAIT).until(() -> outcomesOnSlowNode.size() == retries.size());
    assertThat(outcomesOnSlowNode).as("node 1 was told: no reply sent for the attempts that lost")
        .allMatch("CANCELLED"::equals);
  }
}
