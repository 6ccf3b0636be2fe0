package io.frpc.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.ModuleCall;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two opt-ins that take thread hand-offs out of a call: non-blocking handlers run on the I/O thread that
 * read the request, and direct completion completes {@code callAsync} on the I/O thread that read the reply.
 * Neither may break actor order, and a blocking call on an I/O thread fails at once instead of hanging.
 */
class DirectExecutionTest {

  private final Cluster cluster = new Cluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  /** Plain fields, no locks: a second thread inside the instance or a reordered message would show. */
  public static final class Sequencer {
    private final Map<Integer, Integer> nextByCaller = new java.util.HashMap<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private int running;
    private int overlaps;
    private int outOfOrder;
    private int count;

    public void next(int caller, int sequence) {
      if (++running > 1) {
        overlaps++;
      }
      threads.add(Thread.currentThread().getName());
      int expected = nextByCaller.getOrDefault(caller, 0);
      if (sequence != expected) {
        outOfOrder++;
      }
      nextByCaller.put(caller, sequence + 1);
      count++;
      running--;
    }

    public int[] state() {
      return new int[] {count, overlaps, outOfOrder};
    }
  }

  @Test
  void aNonBlockingHandlerRunsOnTheIoThreadsOneMessageAtATimeInArrivalOrder() {
    List<Sequencer> instances = new ArrayList<>();
    FrpcNode server = cluster.started(FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(2)
        .handler(HandlerDefinition.of("seq", null, 1, self -> {
          Sequencer sequencer = new Sequencer();
          instances.add(sequencer);
          return sequencer;
        }).runNonBlocking()));
    // two callers: two connections, accepted on the server's two I/O threads, racing into one instance
    int perCaller = 5_000;
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    ModuleCall first = null;
    for (int caller = 1; caller <= 2; caller++) {
      ModuleCall seq = callerOf(server, caller, false).template().module("game", "seq");
      first = first == null ? seq : first;
      int id = caller;
      sends.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < perCaller; i++) {
          seq.send("next", id, i);
        }
      }));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    ModuleCall seq = first;
    // read through the instance itself, in its turn: count, overlaps, out of order
    await().atMost(Duration.ofSeconds(30)).until(() -> seq.call("state", int[].class)[0] == 2 * perCaller);
    assertThat(seq.call("state", int[].class)).containsExactly(2 * perCaller, 0, 0);
    // a message arriving while the instance is busy on the other I/O thread runs there, in its turn; a
    // backlog longer than one inline batch moves to a worker so that I/O thread gets back to its connections
    assertThat(instances.get(0).threads).anyMatch(name -> name.startsWith("frpc-io-game:1"))
        .allMatch(name -> name.startsWith("frpc-io-game:1") || name.startsWith("frpc-worker-game:1"));
  }

  @Test
  void aNonBlockingHandlerTakesLargeArgumentsOnAWorkerSoTheIoThreadKeepsServingOthers() {
    FrpcNode server = cluster.server("game", 1, HandlerDefinition.of("where", null, 1, i -> new Object() {
      @SuppressWarnings("unused")
      public String where(byte[] data) {
        return Thread.currentThread().getName();
      }
    }).runNonBlocking());
    ModuleCall where = callerOf(server, 1, false).template().module("game", "where");
    assertThat(where.call("where", String.class, (Object) new byte[100])).startsWith("frpc-io-game:1");
    assertThat(where.call("where", String.class, (Object) new byte[200 * 1024])).startsWith("frpc-io-game:1");
    assertThat(where.call("where", String.class, (Object) new byte[2 * 1024 * 1024])).startsWith("frpc-worker-game:1");
  }

  /**
   * Large calls and large replies answered on the I/O thread while it reads, 64 in flight, each completion issuing
   * the next call on the caller's I/O thread: both ends keep streaming, with a short unwritable timeout. (They once
   * did not: a connection refilled with fragments as soon as it turned writable looked unwritable for good to the
   * unwritable timeout, which closed it although the peer kept reading — UnwritableTimeoutHandlerTest.)
   */
  @Test
  void largeRepliesOfANonBlockingHandlerKeepFlowingWithSixtyFourCallsInFlight() throws Exception {
    FrpcNode server = cluster.started(FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(1)
        .unwritableTimeout(Duration.ofSeconds(3))
        .handler(HandlerDefinition.of("blob", null, 4, i -> new Object() {
          @SuppressWarnings("unused")
          public byte[] blob(byte[] request) {
            return new byte[256 * 1024];
          }

          @SuppressWarnings("unused")
          public byte[] echo(byte[] request) {
            return request;
          }
        }).runNonBlocking()));
    ModuleCall blob = callerOf(server, 1, true).template().module("game", "blob");
    int total = 4_000;
    java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (issued.incrementAndGet() > total) {
        return;
      }
      // large calls answered large and small calls answered large, all on the I/O thread, mixed
      CompletableFuture<byte[]> call = issued.get() % 2 == 0
          ? blob.callAsync("echo", byte[].class, (Object) new byte[256 * 1024])
          : blob.callAsync("blob", byte[].class, (Object) new byte[16]);
      call.whenComplete((reply, error) -> {
        if (error != null) {
          done.completeExceptionally(error);
        } else if (completed.incrementAndGet() == total) {
          done.complete(null);
        } else {
          next[0].run();
        }
      });
    };
    for (int i = 0; i < 64; i++) {
      next[0].run();
    }
    done.get(60, TimeUnit.SECONDS);
    assertThat(completed.get()).isEqualTo(total);
  }

  @Test
  void aBlockingCallInsideANonBlockingHandlerFailsAtOnceNamingTheFix() {
    AtomicReference<FrpcNode> self = new AtomicReference<>();
    FrpcNode server = cluster.server("game", 1, HandlerDefinition.of("relay", null, 1, i -> new Object() {
      @SuppressWarnings("unused")
      public String relay() {
        return self.get().template().module("game", "relay").call("relay", String.class);
      }
    }).runNonBlocking());
    self.set(server);
    ModuleCall relay = callerOf(server, 1, false).template().module("game", "relay");
    long start = System.nanoTime();
    assertThatThrownBy(() -> relay.call("relay", String.class))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.COMMAND_FAILED);
          assertThat(e.remoteType()).isEqualTo(IllegalStateException.class.getName());
          assertThat(e.remoteMessage()).contains("blocking frpc call on an I/O thread", "callAsync");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void directCompletionRunsContinuationsOnTheIoThreadWhereABlockingCallFailsAtOnce() throws Exception {
    // "gated" answers only once the test opens the gate: the continuation is attached before the reply comes
    Semaphore gate = new Semaphore(0);
    FrpcNode server = cluster.server("game", 1, HandlerDefinition.of("echo", null, 2, i -> new Object() {
      @SuppressWarnings("unused")
      public String echo(String text) {
        return text;
      }

      @SuppressWarnings("unused")
      public String gated(String text) throws InterruptedException {
        gate.acquire();
        return text;
      }
    }));
    ModuleCall direct = callerOf(server, 1, true).template().module("game", "echo");
    CompletableFuture<String> thread = direct.callAsync("gated", String.class, "a")
        .thenApply(reply -> Thread.currentThread().getName());
    gate.release();
    assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("frpc-io-");
    CompletableFuture<String> nested = direct.callAsync("gated", String.class, "a")
        .thenApply(reply -> direct.call("echo", String.class, "b"));
    gate.release();
    assertThatThrownBy(() -> nested.get(3, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("blocking frpc call on an I/O thread");
    // chaining asynchronously from there works
    assertThat(direct.callAsync("echo", String.class, "a")
        .thenCompose(reply -> direct.callAsync("echo", String.class, reply + "b")).get(10, TimeUnit.SECONDS))
        .isEqualTo("ab");

    ModuleCall byDefault = callerOf(server, 2, false).template().module("game", "echo");
    CompletableFuture<String> defaultThread = byDefault.callAsync("gated", String.class, "a")
        .thenApply(reply -> Thread.currentThread().getName());
    gate.release();
    assertThat(defaultThread.get(10, TimeUnit.SECONDS)).startsWith("frpc-callback-");
  }

  private FrpcNode callerOf(FrpcNode server, int id, boolean directCompletion) {
    Map<NodeId, HostPort> address = Map.of(server.id(), new HostPort("127.0.0.1", server.listenAddress().getPort()));
    FrpcNode caller = cluster.started(FrpcNode.builder("caller", id).serve(false).ioThreads(1)
        .directCompletion(directCompletion).discovery(new StaticNodeDiscovery(address)));
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.connectedNodes().size() == 1);
    return caller;
  }
}
