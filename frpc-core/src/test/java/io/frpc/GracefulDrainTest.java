package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that shuts down gracefully announces it (GOING_AWAY): callers stop routing to it at once, its
 * in-flight calls complete, and a rolling restart under load loses no call.
 */
class GracefulDrainTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Handler of module "svc". */
  public static final class Service {
    private final FrpcInstance self;

    public Service(FrpcInstance self) {
      this.self = self;
    }

    public int node() {
      return self.node().id();
    }

    public int echo(int value) {
      return value;
    }

    public int slow(int millis) throws InterruptedException {
      Thread.sleep(millis);
      return millis;
    }
  }

  private final List<TestNode> nodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(TestNode::close);
  }

  private TestNode server(int id, int port) {
    TestNode node = TestNode.builder("game", id).port(port).handler(HandlerDefinition.of("svc", null, 4, Service::new))
        .configure(b -> b.shutdownTimeout(Duration.ofSeconds(10))).start();
    nodes.add(node);
    return node;
  }

  private TestNode caller(List<String> events) {
    TestNode caller = TestNode.builder("caller", 1).configure(b -> b.listener(new NodeEventLog(events))).start();
    nodes.add(caller);
    return caller;
  }

  @Test
  void aRollingRestartUnderLoadLosesNoCall() throws Exception {
    TestNode[] servers = {server(1, 0), server(2, 0)};
    int[] ports = {servers[0].port(), servers[1].port()};
    List<String> events = new CopyOnWriteArrayList<>();
    TestNode caller = caller(events);
    caller.connectedTo(servers[0]).connectedTo(servers[1]);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong calls = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      int thread = t;
      threads.execute(() -> {
        ModuleCall svc = caller.frpc.module("game", "svc");
        for (int i = 0; running.get(); i++) {
          try {
            int value = thread * 1_000_000 + i;
            if (svc.call("echo", Integer.class, value) != value) {
              failures.add(new AssertionError("wrong echo"));
            }
            calls.incrementAndGet();
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      });
    }
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 2; i++) {
        long before = calls.get();
        await().atMost(WAIT).until(() -> calls.get() > before + 500);
        servers[i].close();
        nodes.remove(servers[i]);
        servers[i] = server(i + 1, ports[i]);
        int id = i + 1;
        await().atMost(WAIT).until(() -> caller.frpc.isActive("game", id));
      }
    }
    long before = calls.get();
    await().atMost(WAIT).until(() -> calls.get() > before + 500);
    running.set(false);
    threads.shutdown();
    assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    System.out.printf("MEASURED rolling restart, 3 rounds x 2 nodes, 8 threads: %,d calls, %d failed%n", calls.get(),
        failures.size());
    assertThat(failures).as("calls that failed during the rolling restart").isEmpty();
    // each graceful stop is reported once, as a shutdown, and each return once
    assertThat(events.stream().filter(e -> e.startsWith("down"))).hasSize(6).allMatch(e -> e.endsWith("SHUTDOWN"));
    assertThat(events.stream().filter(e -> e.startsWith("up"))).hasSize(8);
  }

  @Test
  void aNodeKilledUnderLoadFailsOnlyTheCallsInFlightOnItAndFast() throws Exception {
    TestNode first = server(1, 0);
    int port = freePort();
    // node 2 runs in a process of its own, killed with SIGKILL (kill -9) while the caller is busy
    Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "-Xmx128m", KillableNode.class.getName(), "2", String.valueOf(port))
        .redirectErrorStream(true).start();
    try {
      java.io.BufferedReader output = new java.io.BufferedReader(new java.io.InputStreamReader(second.getInputStream()));
      String line;
      do {
        line = output.readLine(); // its log lines, then READY
      } while (line != null && !line.equals("READY"));
      assertThat(line).as("node 2's process started").isEqualTo("READY");
      TestNode caller = caller(new CopyOnWriteArrayList<>());
      caller.connectedTo(first);
      caller.client.nodeAvailable(new NodeId("game", 2), "127.0.0.1", port);
      await().atMost(WAIT).until(() -> caller.frpc.isActive("game", 2));

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong calls = new AtomicLong();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      List<Long> failedAfterMillis = new CopyOnWriteArrayList<>();
      ExecutorService threads = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        threads.execute(() -> {
          ModuleCall svc = caller.frpc.module("game", "svc");
          while (running.get()) {
            long started = System.nanoTime();
            try {
              svc.call("slow", Integer.class, 20);
              calls.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
              failedAfterMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
          }
        });
      }
      long before = calls.get();
      await().atMost(WAIT).until(() -> calls.get() > before + 200);
      second.destroyForcibly();
      assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long after = calls.get();
      await().atMost(WAIT).until(() -> calls.get() > after + 200);
      running.set(false);
      threads.shutdown();
      assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      System.out.printf("MEASURED kill -9 of a node under load, 8 threads: %,d calls, %d failed (%s), slowest failure "
          + "after %d ms%n", calls.get(), failures.size(), failures.stream().map(f -> f.getClass().getSimpleName())
          .distinct().toList(), failedAfterMillis.stream().mapToLong(Long::longValue).max().orElse(0));
      // at most the calls in flight on node 2 when it died: 8 threads, one call each
      assertThat(failures).hasSizeLessThanOrEqualTo(8).allMatch(f -> f instanceof ConnectionLostException);
      // each failed as the connection dropped, long before its 10 s deadline
      assertThat(failedAfterMillis).allMatch(millis -> millis < 2_000);
    } finally {
      second.destroyForcibly();
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void callsInFlightOnAStoppingNodeCompleteAndNewOnesGoToTheOtherNode() throws Exception {
    TestNode first = server(1, 0);
    TestNode second = server(2, 0);
    List<String> events = new CopyOnWriteArrayList<>();
    TestNode caller = caller(events);
    caller.connectedTo(first).connectedTo(second);

    var slow = caller.frpc.module("game", "svc").node(1).callAsync("slow", Integer.class, 1_500);
    await().atMost(WAIT).until(() -> first.requestsInFlight() == 1);
    Thread stopper = new Thread(first::close);
    stopper.start();
    await().atMost(WAIT).until(() -> events.contains("down game:1 SHUTDOWN"));

    // while node 1 drains, one/balance calls all go to node 2
    List<Integer> served = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      served.add(caller.frpc.module("game", "svc").call("node", Integer.class));
    }
    assertThat(served).containsOnly(2);
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(1_500);
    stopper.join(10_000);
    assertThat(stopper.isAlive()).isFalse();
    assertThat(events).containsExactly("up game:1", "up game:2", "down game:1 SHUTDOWN");
  }

  @Test
  void aCallToTheStoppingNodeByIdSaysItIsShuttingDown() {
    TestNode server = server(1, 0);
    TestNode caller = TestNode.builder("caller", 1).configure(b -> b.connectWait(Duration.ofMillis(300))).start();
    nodes.add(caller);
    caller.connectedTo(server);
    CountDownLatch closed = new CountDownLatch(1);
    new Thread(() -> {
      server.close();
      closed.countDown();
    }).start();
    await().atMost(WAIT).until(() -> !caller.frpc.isActive("game", 1));
    assertThatThrownBy(() -> caller.frpc.module("game", "svc").node(1).call("echo", Integer.class, 1))
        .isInstanceOf(NoNodeConnectedException.class).hasMessageContaining("it announced a graceful shutdown");
    await().atMost(WAIT).until(() -> closed.getCount() == 0);
    // once a reconnect attempt has failed, the reason says so too
    await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> caller.frpc.module("game", "svc").node(1)
        .call("echo", Integer.class, 1)).isInstanceOf(NoNodeConnectedException.class)
        .hasMessageContaining("it announced a graceful shutdown").hasMessageContaining("reconnecting since failed"));
  }
}
