package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.NodeDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FrpcNode#closeAsync()} drains on a thread of the node; {@link FrpcNode#close()} waits for it. */
class AsynchronousShutdownTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Module "svc": {@code hold} runs until the test releases it. */
  public static final class Held {
    private final CountDownLatch release;

    Held(CountDownLatch release) {
      this.release = release;
    }

    public String hold() throws InterruptedException {
      release.await(30, TimeUnit.SECONDS);
      return "done";
    }
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<TestNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    release.countDown();
    nodes.forEach(TestNode::close);
  }

  private TestNode start(TestNode.Builder builder) {
    TestNode node = builder.start();
    nodes.add(node);
    return node;
  }

  /** A server whose one request runs until released, and the call that runs it. */
  private CompletableFuture<String> heldRequestOn(TestNode server) {
    TestNode caller = start(TestNode.inJvm("caller", 1)).connectedTo(server);
    CompletableFuture<String> call = caller.frpc.module("game", "svc").callAsync("hold", String.class);
    await().atMost(WAIT).until(() -> server.requestsInFlight() == 1);
    return call;
  }

  private TestNode server() {
    return start(TestNode.inJvm("game", 1).module("svc", null, 1, i -> new Held(release))
        .configure(node -> node.shutdownTimeout(Duration.ofSeconds(20))));
  }

  @Test
  void closeAsyncReturnsAtOnceWhileARequestRunsAndCompletesAfterIt() throws Exception {
    TestNode server = server();
    CompletableFuture<String> call = heldRequestOn(server);

    long started = System.nanoTime();
    CompletableFuture<Void> closed = server.node.closeAsync();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closeAsync returned at once")
        .isLessThan(Duration.ofSeconds(1));

    assertThat(server.node.isRunning()).isFalse();
    assertThat(closed).as("draining while the request runs").isNotDone();
    release.countDown();
    closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(server.node.isListening()).isFalse();
  }

  @Test
  void everyCallOfCloseAsyncReturnsTheSameFuture() {
    TestNode server = server();
    CompletableFuture<Void> first = server.node.closeAsync();
    assertThat(server.node.closeAsync()).isSameAs(first);
    first.join();
    assertThat(server.node.closeAsync()).isSameAs(first);
  }

  @Test
  void cancellingTheReturnedFutureDoesNotCutTheShutdownShort() throws Exception {
    TestNode server = server();
    CompletableFuture<String> call = heldRequestOn(server);

    server.node.closeAsync().cancel(true);
    release.countDown();

    assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
    server.node.close();
    assertThat(server.node.isListening()).isFalse();
  }

  @Test
  void closeFromTwoThreadsReturnsInBothOnceTheShutdownIsDone() throws Exception {
    TestNode server = server();
    CompletableFuture<String> call = heldRequestOn(server);

    CountDownLatch entered = new CountDownLatch(2);
    Runnable close = () -> {
      entered.countDown();
      server.node.close();
    };
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<Void> first = CompletableFuture.runAsync(close, threads);
    CompletableFuture<Void> second = CompletableFuture.runAsync(close, threads);
    threads.shutdown();
    assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    // neither returns while the request runs
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !first.isDone() && !second.isDone());
    release.countDown();

    CompletableFuture.allOf(first, second).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(call.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(server.node.isListening()).isFalse();
  }

  @Test
  void theNodeIsNotLockedWhileItDrains() {
    TestNode server = server();
    heldRequestOn(server);
    server.node.closeAsync();

    // isRunning and start take the node's monitor: neither waits for the drain
    CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(server.node::isRunning);
    await().atMost(Duration.ofSeconds(2)).until(running::isDone);
    assertThat(running.join()).isFalse();
    assertThatThrownBy(server.node::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("was closed");
  }

  @Test
  void aNodeThatNeverStartedClosesToo() {
    FrpcNode node = FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(1).build();
    node.closeAsync().join();
    node.close();
    assertThat(node.isRunning()).isFalse();
  }

  @Test
  void aFailingStepFailsTheFutureAfterTheRemainingStepsRan() {
    IllegalStateException failure = new IllegalStateException("registry unreachable");
    FrpcNode node = FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(1).discovery(new NodeDiscovery() {
      @Override
      public void start(DiscoveryContext context) {
      }

      @Override
      public void close() {
        throw failure;
      }
    }).build();
    node.start();
    String io = "frpc-io-" + node.id();

    assertThatThrownBy(node::close).isSameAs(failure);
    assertThat(node.closeAsync()).isCompletedExceptionally();
    assertThat(node.isListening()).isFalse();
    await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.getName().startsWith(io) && thread.isAlive()));
  }
}
