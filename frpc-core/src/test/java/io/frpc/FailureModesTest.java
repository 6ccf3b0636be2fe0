package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.internal.routing.ClientSettings;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.internal.transport.TransportSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What callers see when nodes are missing, slow, gone, overloaded, or answer with errors. */
class FailureModesTest {

  /** Handler of module "svc". */
  public static final class Service {
    private final CountDownLatch release;

    Service(CountDownLatch release) {
      this.release = release;
    }

    public int add(int a, int b) {
      return a + b;
    }

    public String fail(String message) {
      throw new IllegalArgumentException(message);
    }

    public String block() throws InterruptedException {
      release.await(30, TimeUnit.SECONDS);
      return "released";
    }

    public byte[] echo(byte[] bytes) {
      return bytes;
    }
  }

  private final List<TestNode> nodes = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    nodes.forEach(TestNode::close);
  }

  @Test
  void aCallToANodeThatNeverConnectsFailsAfterTheConnectWait() {
    TestNode caller = start(TestNode.builder("caller", 1).client(settings(Duration.ofMillis(300), Duration.ofSeconds(5))));

    long start = System.nanoTime();
    assertThatThrownBy(() -> caller.frpc.module("game", "svc").call("add", Integer.class, 1, 2))
        .isInstanceOf(NoNodeConnectedException.class)
        .hasMessageContaining("game")
        .hasMessageContaining("300 ms");
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(waitedMillis).isBetween(250L, 5_000L);
  }

  @Test
  void sendAsyncCallAndAllNodesCallAlsoFailAfterTheConnectWait() {
    TestNode caller = start(TestNode.builder("caller", 1).client(settings(Duration.ofMillis(200), Duration.ofSeconds(5))));
    ModuleCall svc = caller.frpc.module("game", "svc");

    assertThat(svc.send("add", 1, 2)).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(NoNodeConnectedException.class);
    assertThat(svc.callAsync("add", Integer.class, 1, 2)).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(NoNodeConnectedException.class);
    assertThatThrownBy(() -> svc.allNodes().call("add", Integer.class, 1, 2)).isInstanceOf(NoNodeConnectedException.class);
    assertThatThrownBy(() -> svc.node(2).call("add", Integer.class, 1, 2))
        .isInstanceOf(NoNodeConnectedException.class).hasMessageContaining("game:2");
  }

  @Test
  void aCallWaitsForANodeThatConnectsWithinTheConnectWait() throws Exception {
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1).client(settings(Duration.ofSeconds(10), Duration.ofSeconds(5))));

    CompletableFuture<Integer> call = CompletableFuture.supplyAsync(
        () -> caller.frpc.module("game", "svc").call("add", Integer.class, 20, 22));
    caller.knows(server);

    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void aCallWhoseDeadlinePassesFailsWithATimeoutAndFreesItsPendingEntry() {
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);

    long start = System.nanoTime();
    assertThatThrownBy(() -> caller.frpc.module("game", "svc").timeout(Duration.ofMillis(300)).call("block", String.class))
        .isInstanceOf(CallTimeoutException.class)
        .hasMessageContaining("svc.block")
        .hasMessageContaining("300 ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 5_000L);
    assertThat(connectionTo(caller, "game").pendingCalls()).isZero();
  }

  @Test
  void losingTheConnectionFailsPendingCallsAtOnce() {
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);
    CompletableFuture<String> call = caller.frpc.module("game", "svc").timeout(Duration.ofSeconds(60))
        .callAsync("block", String.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 1);

    long start = System.nanoTime();
    connectionTo(caller, "game").close();

    assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ConnectionLostException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000L);
  }

  @Test
  void anExceptionThrownByACommandReachesTheCallerWithItsTypeAndMessage() {
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);

    assertThatThrownBy(() -> caller.frpc.module("game", "svc").call("fail", String.class, "bad player id"))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.COMMAND_FAILED);
          assertThat(e.remoteType()).isEqualTo(IllegalArgumentException.class.getName());
          assertThat(e.remoteMessage()).isEqualTo("bad player id");
          assertThat(e.remoteStackTrace()).isNull();
          assertThat(e.node()).isEqualTo(new NodeId("game", 1));
        });
  }

  @Test
  void stackTracesTravelOnlyWhenTheServerIncludesThem() {
    TestNode server = start(TestNode.builder("game", 1).includeStackTrace().module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);

    assertThatThrownBy(() -> caller.frpc.module("game", "svc").call("fail", String.class, "boom"))
        .isInstanceOfSatisfying(RemoteCallException.class,
            e -> assertThat(e.remoteStackTrace()).contains("Service.fail"));
  }

  @Test
  void unknownModulesInstancesAndCommandsAreRemoteErrorsThatSayWhatExists() {
    TestNode server = start(TestNode.builder("game", 1).module("svc", "blue", 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);

    assertThatThrownBy(() -> caller.frpc.module("game", "nope").call("add", Integer.class, 1, 2))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_MODULE);
          assertThat(e.remoteMessage()).contains("'nope'", "svc");
        });
    assertThatThrownBy(() -> caller.frpc.module("game", "svc").instance("red").call("add", Integer.class, 1, 2))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_INSTANCE);
          assertThat(e.remoteMessage()).contains("'red'", "blue");
        });
    assertThatThrownBy(() -> caller.frpc.module("game", "svc").call("subtract", Integer.class, 1, 2))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_COMMAND);
          assertThat(e.remoteMessage()).contains("'subtract'", "add", "echo");
        });
  }

  @Test
  void argumentsThatDoNotBindAreRemoteErrorsNamingTheCommand() {
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);
    ModuleCall svc = caller.frpc.module("game", "svc");

    assertThatThrownBy(() -> svc.call("add", Integer.class, "one", 2))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.BAD_ARGUMENTS);
          assertThat(e.remoteMessage()).contains("add(int, int)", "argument 1");
        });
    assertThatThrownBy(() -> svc.call("add", Integer.class, 1))
        .isInstanceOfSatisfying(RemoteCallException.class,
            e -> assertThat(e.remoteMessage()).contains("expected 2 argument(s) but got 1"));
    assertThatThrownBy(() -> svc.call("add", Integer.class, 1, 2, 3))
        .isInstanceOfSatisfying(RemoteCallException.class,
            e -> assertThat(e.remoteMessage()).contains("expected 2 argument(s) but got 3"));
    assertThat(svc.call("add", Integer.class, 1, 2)).as("the connection still works").isEqualTo(3);
  }

  /**
   * A byte or two of Smile becomes an object of tens of bytes: each side bounds the tokens of what it decodes, so a
   * peer's message within the size limit cannot become gigabytes of objects.
   */
  @Test
  void aMessageOfMoreTokensThanTheReceiversLimitIsRefusedAndTheConnectionGoesOn() {
    TestNode server = start(TestNode.builder("game", 1).configure(node -> node.maxMessageTokens(1_000))
        .module("lists", null, 1, i -> new Object() {
          public int count(List<Long> values) {
            return values.size();
          }

          public List<Long> make(int size) {
            return Collections.nCopies(size, 1_000L);
          }
        }));
    TestNode caller = start(TestNode.builder("caller", 1).configure(node -> node.maxMessageTokens(1_000)))
        .connectedTo(server);
    ModuleCall lists = caller.frpc.module("game", "lists");

    assertThatThrownBy(() -> lists.call("count", Integer.class, Collections.nCopies(5_000, 1_000L)))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.BAD_ARGUMENTS);
          assertThat(e.remoteMessage()).contains("count", "more than 1000 tokens (frpc.max-message-tokens)");
        });
    assertThatThrownBy(() -> lists.call("make", List.class, 5_000))
        .isInstanceOf(ReplyBindingException.class)
        .hasMessageContaining("more than 1000 tokens (frpc.max-message-tokens)");
    assertThat(lists.call("count", Integer.class, Collections.nCopies(900, 1_000L)))
        .as("the connection still works").isEqualTo(900);
    assertThat(lists.call("make", List.class, 900)).hasSize(900);
  }

  @Test
  void aFullMailboxAnswersOverloadedInsteadOfQueueing() {
    TestNode server = start(TestNode.builder("game", 1)
        .module("svc", null, 1, false, 2, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);
    ModuleCall svc = caller.frpc.module("game", "svc");
    CompletableFuture<String> running = svc.callAsync("block", String.class);
    CompletableFuture<String> queued = svc.callAsync("block", String.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 2);

    assertThatThrownBy(() -> svc.call("add", Integer.class, 1, 2))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("mailbox")
        .hasMessageContaining("full");
    release.countDown();
    assertThat(running).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("released");
    assertThat(queued).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("released");
    assertThat(svc.call("add", Integer.class, 1, 2)).isEqualTo(3);
  }

  @Test
  void aMessageLargerThanTheLimitFailsBeforeItIsSent() {
    TransportSettings small = new TransportSettings(64 * 1024, 16 * 1024, Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofSeconds(10));
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1).transport(small)).connectedTo(server);

    assertThatThrownBy(() -> caller.frpc.module("game", "svc").call("echo", byte[].class, (Object) new byte[100_000]))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("65536");
    assertThat(caller.frpc.module("game", "svc").call("echo", byte[].class, (Object) new byte[30_000]))
        .hasSize(30_000);
  }

  @Test
  void aReplyLargerThanTheCallersLimitIsARemoteError() {
    TransportSettings small = new TransportSettings(64 * 1024, 16 * 1024, Duration.ofSeconds(5),
        Duration.ofSeconds(15), Duration.ofSeconds(10));
    TestNode server = start(TestNode.builder("game", 1).module("big", null, 1, i -> new Object() {
      public byte[] produce(int size) {
        return new byte[size];
      }
    }));
    TestNode caller = start(TestNode.builder("caller", 1).transport(small)).connectedTo(server);

    assertThatThrownBy(() -> caller.frpc.module("game", "big").call("produce", byte[].class, 200_000))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.BAD_RESULT);
          assertThat(e.remoteMessage()).contains("maximum message size");
        });
  }

  @Test
  void asynchronousResultsAreNeverCompletedOnAnIoThread() throws Exception {
    TestNode server = start(TestNode.builder("game", 1).module("svc", null, 1, i -> new Service(release)));
    TestNode caller = start(TestNode.builder("caller", 1)).connectedTo(server);
    AtomicReference<String> thread = new AtomicReference<>();

    // The reply cannot arrive before the callback is registered: the command waits for the release.
    CompletableFuture<Void> done = caller.frpc.module("game", "svc").callAsync("block", String.class)
        .thenAccept(result -> thread.set(Thread.currentThread().getName()));
    release.countDown();
    done.get(5, TimeUnit.SECONDS);

    assertThat(thread.get()).startsWith("frpc-callback-");
  }

  private TestNode start(TestNode.Builder builder) {
    TestNode node = builder.start();
    nodes.add(node);
    return node;
  }

  private static ClientSettings settings(Duration connectWait, Duration callTimeout) {
    return new ClientSettings(connectWait, callTimeout, Duration.ofSeconds(2), Duration.ofMillis(50),
        Duration.ofMillis(500), false, FrpcNode.DEFAULT_RETRY_MAX_ATTEMPTS, FrpcNode.DEFAULT_RETRY_BACKOFF,
        FrpcNode.DEFAULT_RETRY_BUDGET_RATIO, FrpcNode.DEFAULT_RETRY_BUDGET_MIN_PER_SECOND,
        FrpcNode.DEFAULT_LOAD_BALANCING);
  }

  private static OutgoingConnection connectionTo(TestNode caller, String name) {
    return caller.client.activeConnections().stream().filter(c -> c.node().id().name().equals(name))
        .findFirst().orElseThrow();
  }
}
