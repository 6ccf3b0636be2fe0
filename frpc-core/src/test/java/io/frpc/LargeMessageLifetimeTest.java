package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.client.FrpcClient;
import io.frpc.client.Node;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A large request or reply stays in pooled memory, charged to the receiving node's inbound budget, until it is
 * decoded or dropped: on every path — answered, broadcast, refused, skipped after its caller cancelled it, or a reply
 * arriving after its caller gave up — the memory goes back (the budget returns to zero, and the build's leak
 * detector sees no buffer lost).
 */
class LargeMessageLifetimeTest {

  /** Handler of module "bulk". */
  public static final class Bulk {
    private final CountDownLatch release;

    Bulk(CountDownLatch release) {
      this.release = release;
    }

    public byte[] echo(byte[] bytes) {
      return bytes;
    }

    public ByteBuffer reverse(ByteBuffer bytes) {
      byte[] reversed = new byte[bytes.remaining()];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = bytes.get(bytes.limit() - 1 - i);
      }
      return ByteBuffer.wrap(reversed);
    }

    public byte[] slowEcho(byte[] bytes) throws InterruptedException {
      release.await(10, TimeUnit.SECONDS);
      return bytes;
    }

    public int length(byte[] bytes) {
      return bytes.length;
    }
  }

  /** A typed client of "bulk". */
  @FrpcClient(node = "game", module = "bulk")
  public interface BulkClient {
    ByteBuffer reverse(@Node int nodeId, ByteBuffer bytes);
  }

  private final CountDownLatch release = new CountDownLatch(1);
  private final byte[] large = new byte[300_000];
  private TestNode server;
  private TestNode caller;

  @BeforeEach
  void start() {
    new Random(3).nextBytes(large);
    server = TestNode.builder("game", 1).module("bulk", null, 3, i -> new Bulk(release)).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(server);
  }

  @AfterEach
  void stop() {
    release.countDown();
    caller.close();
    server.close();
  }

  @Test
  void answeredAndBroadcastMessagesGiveTheirMemoryBack() {
    for (int i = 0; i < 10; i++) {
      assertThat(caller.frpc.module("game", "bulk").node(1).call("echo", byte[].class, (Object) large))
          .isEqualTo(large);
    }
    List<InstanceReply<Integer>> lengths = caller.frpc.module("game", "bulk").node(1).broadcast()
        .call("length", Integer.class, (Object) large);
    assertThat(lengths).extracting(InstanceReply::value).containsExactly(large.length, large.length, large.length);

    awaitNothingHeld();
  }

  @Test
  void byteBufferArgumentsAndResultsCarryTheBytes() {
    BulkClient bulk = caller.frpc.client(BulkClient.class);

    ByteBuffer reversed = bulk.reverse(1, ByteBuffer.wrap(large));

    assertThat(reversed.remaining()).isEqualTo(large.length);
    for (int i = 0; i < large.length; i += 997) {
      assertThat(reversed.get(i)).isEqualTo(large[large.length - 1 - i]);
    }
    awaitNothingHeld();
  }

  @Test
  void refusedAndCancelledRequestsAndLateRepliesGiveTheirMemoryBack() throws Exception {
    assertThatThrownBy(() -> caller.frpc.module("game", "bulk").node(1).call("nope", byte[].class, (Object) large))
        .isInstanceOf(RemoteCallException.class).hasMessageContaining("nope");
    // every instance busy until released: the mod call waits in its mailbox, then its caller cancels it
    List<CompletableFuture<byte[]>> busy = List.of(0, 1, 2).stream().map(key -> caller.frpc.module("game", "bulk")
        .node(1).mod(key).timeout(Duration.ofSeconds(20)).callAsync("slowEcho", byte[].class, (Object) large))
        .toList();
    CompletableFuture<byte[]> queued = caller.frpc.module("game", "bulk").node(1).mod(0)
        .timeout(Duration.ofSeconds(20)).callAsync("slowEcho", byte[].class, (Object) large);
    // and one gives up before its reply comes
    CompletableFuture<byte[]> givenUp = caller.frpc.module("game", "bulk").node(1).mod(1)
        .timeout(Duration.ofMillis(300)).callAsync("slowEcho", byte[].class, (Object) large);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 5);
    queued.cancel(true);
    await().atMost(Duration.ofSeconds(10)).until(givenUp::isDone);
    assertThat(givenUp).isCompletedExceptionally();

    release.countDown();
    for (CompletableFuture<byte[]> call : busy) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo(large);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 0);
    awaitNothingHeld();
  }

  private void awaitNothingHeld() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(server.node.inboundBytesHeld()).as("server").isZero();
      assertThat(caller.node.inboundBytesHeld()).as("caller").isZero();
    });
  }
}
