package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.client.FrpcClient;
import io.frpc.client.Node;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FrpcBytes} between real nodes: a command gets a view of the received bytes, closed for it when it returns
 * unless it retains it; a caller gets a view of the reply, held (and charged to its inbound budget) until it closes
 * it; a command that answers with what it received echoes it without a copy.
 */
class BytesViewCallTest {

  /** Handler of module "blob". */
  public static final class Blobs {
    private final AtomicReference<FrpcBytes> kept = new AtomicReference<>();
    private final AtomicReference<ByteBuf> returned = new AtomicReference<>();

    public FrpcBytes echo(FrpcBytes bytes) {
      return bytes;
    }

    public int keepWithoutRetaining(FrpcBytes bytes) {
      kept.set(bytes);
      return bytes.length();
    }

    public int keep(FrpcBytes bytes) {
      kept.set(bytes.retain());
      return bytes.length();
    }

    public FrpcBytes pooled(int length) {
      ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(length).writeZero(length);
      returned.set(buffer);
      return FrpcBytes.wrap(buffer);
    }

    public byte[] copy(FrpcBytes bytes) {
      return bytes.toByteArray();
    }
  }

  /** A typed client of "blob". */
  @FrpcClient(node = "game", module = "blob")
  public interface BlobClient {
    FrpcBytes echo(@Node int nodeId, FrpcBytes bytes);
  }

  private final Blobs blobs = new Blobs();
  private final byte[] large = new byte[300_000];
  private TestNode server;
  private TestNode caller;

  @BeforeEach
  void start() {
    new Random(5).nextBytes(large);
    server = TestNode.builder("game", 1).module("blob", null, 1, i -> blobs).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(server);
  }

  @AfterEach
  void stop() {
    FrpcBytes kept = blobs.kept.get();
    if (kept != null) {
      kept.close();
    }
    caller.close();
    server.close();
  }

  @Test
  void anEchoedViewComesBackAndHoldsTheCallersBudgetUntilClosed() {
    FrpcBytes reply = caller.frpc.module("game", "blob").node(1).call("echo", FrpcBytes.class, FrpcBytes.wrap(large));

    assertThat(reply.toByteArray()).isEqualTo(large);
    assertThat(caller.node.inboundBytesHeld()).as("held by the reply").isGreaterThanOrEqualTo(large.length);
    reply.close();
    awaitNothingHeld();
  }

  @Test
  void typedClientsTakeAndGiveViews() {
    BlobClient client = caller.frpc.client(BlobClient.class);
    for (int i = 0; i < 20; i++) {
      try (FrpcBytes reply = client.echo(1, FrpcBytes.wrap(large))) {
        assertThat(reply.length()).isEqualTo(large.length);
        assertThat(reply.getByte(large.length - 1)).isEqualTo(large[large.length - 1]);
      }
    }
    try (FrpcBytes small = client.echo(1, FrpcBytes.wrap(new byte[] {1, 2, 3}))) {
      assertThat(small.toByteArray()).containsExactly(1, 2, 3);
    }
    awaitNothingHeld();
  }

  @Test
  void anArgumentIsClosedWhenItsCommandReturnsUnlessRetained() {
    assertThat(caller.frpc.module("game", "blob").node(1).call("keepWithoutRetaining", Integer.class,
        FrpcBytes.wrap(large))).isEqualTo(large.length);
    // closed on the server once the command is done, which its caller may hear of a moment before
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> blobs.kept.get().toByteArray())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("retain()"));
    awaitNothingHeld();

    assertThat(caller.frpc.module("game", "blob").node(1).call("keep", Integer.class, FrpcBytes.wrap(large)))
        .isEqualTo(large.length);
    assertThat(blobs.kept.get().toByteArray()).isEqualTo(large);
    assertThat(server.node.inboundBytesHeld()).as("held by the retained view").isGreaterThanOrEqualTo(large.length);
    blobs.kept.get().close();
    awaitNothingHeld();
  }

  @Test
  void aViewACommandReturnsIsReleasedOnceSent() {
    try (FrpcBytes reply = caller.frpc.module("game", "blob").node(1).call("pooled", FrpcBytes.class, 200_000)) {
      assertThat(reply.length()).isEqualTo(200_000);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> blobs.returned.get().refCnt() == 0);
    awaitNothingHeld();
  }

  @Test
  void aCallerMayCloseItsViewOnceTheCallIsMadeEvenIfItIsEncodedLater() throws Exception {
    try (TestNode late = TestNode.builder("late", 1).start()) {
      // no node known yet: the call and the send wait for one and encode their arguments only then
      FrpcBytes argument = FrpcBytes.wrap(large);
      CompletableFuture<FrpcBytes> reply = late.frpc.module("game", "blob").node(1)
          .callAsync("echo", FrpcBytes.class, argument);
      CompletableFuture<Void> sent = late.frpc.module("game", "blob").node(1).send("keep", argument);
      argument.close();
      late.knows(server);

      try (FrpcBytes echoed = reply.get(10, TimeUnit.SECONDS)) {
        assertThat(echoed.toByteArray()).isEqualTo(large);
      }
      sent.get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> blobs.kept.get() != null);
      assertThat(blobs.kept.get().length()).isEqualTo(large.length);
    }
  }

  @Test
  void viewsCrossProtectedConnectionsAndTheInJvmTransport() {
    String secret = "a-long-shared-secret-of-the-cluster";
    for (boolean inJvm : new boolean[] {false, true}) {
      Blobs other = new Blobs();
      TestNode.Builder serverSide = inJvm ? TestNode.inJvm("safe", 1) : TestNode.builder("safe", 1);
      TestNode.Builder callerSide = inJvm ? TestNode.inJvm("safe_caller", 1) : TestNode.builder("safe_caller", 1);
      try (TestNode safe = serverSide.module("blob", null, 1, i -> other).configure(node -> node.secret(secret))
              .start();
          TestNode safeCaller = callerSide.configure(node -> node.secret(secret)).start().connectedTo(safe)) {
        // fragmented, and joined to its frame without being fragmented (over 16 KiB, under 64 KiB)
        for (byte[] bytes : List.of(large, Arrays.copyOf(large, 40_000))) {
          try (FrpcBytes reply = safeCaller.frpc.module("safe", "blob").node(1).call("echo", FrpcBytes.class,
              FrpcBytes.wrap(bytes))) {
            assertThat(reply.toByteArray()).as("in JVM: %s, %s bytes", inJvm, bytes.length).isEqualTo(bytes);
          }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(safe.node.inboundBytesHeld()).isZero();
          assertThat(safeCaller.node.inboundBytesHeld()).isZero();
        });
      }
    }
  }

  @Test
  void viewsAndArraysAreTheSameOnTheWire() {
    byte[] copy = caller.frpc.module("game", "blob").node(1).call("copy", byte[].class, (Object) large);
    assertThat(copy).isEqualTo(large);
    try (FrpcBytes reply = caller.frpc.module("game", "blob").node(1).call("echo", FrpcBytes.class, (Object) large)) {
      assertThat(reply.toByteArray()).isEqualTo(large);
    }
    awaitNothingHeld();
  }

  private void awaitNothingHeld() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(server.node.inboundBytesHeld()).as("server").isZero();
      assertThat(caller.node.inboundBytesHeld()).as("caller").isZero();
    });
  }
}
