package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.internal.protocol.FrameType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Large messages travel as fragments and do not hold back small calls on the same connection. */
class FragmentationTest {

  /** Handler of module "bulk". */
  public static final class Bulk {
    public byte[] echo(byte[] bytes) {
      return bytes;
    }

    public int ping(int value) {
      return value;
    }
  }

  private TestNode server;
  private TestNode caller;

  @BeforeEach
  void start() {
    // Two instances: the large echo runs on one while small pings run on the other.
    server = TestNode.builder("game", 1).module("bulk", null, 2, i -> new Bulk()).start();
    caller = TestNode.builder("caller", 1).start().connectedTo(server);
  }

  @AfterEach
  void stop() {
    caller.close();
    server.close();
  }

  @Test
  void aMessageOfTensOfMebibytesArrivesIntactWhileSmallCallsOvertakeIt() throws Exception {
    byte[] large = new byte[24 * 1024 * 1024];
    new Random(42).nextBytes(large);
    for (int i = 0; i < 200; i++) {
      caller.frpc.module("game", "bulk").mod(1).call("ping", Integer.class, i);
    }

    CompletableFuture<byte[]> echo = caller.frpc.module("game", "bulk").mod(0).timeout(Duration.ofSeconds(60))
        .callAsync("echo", byte[].class, (Object) large);
    List<Long> latenciesNanos = new ArrayList<>();
    while (!echo.isDone()) {
      long start = System.nanoTime();
      int sent = latenciesNanos.size();
      assertThat(caller.frpc.module("game", "bulk").mod(1).call("ping", Integer.class, sent)).isEqualTo(sent);
      latenciesNanos.add(System.nanoTime() - start);
    }

    assertThat(echo.get(60, TimeUnit.SECONDS)).isEqualTo(large);
    assertThat(latenciesNanos).as("small calls completed while the large message was in flight").hasSizeGreaterThan(5);
    Collections.sort(latenciesNanos);
    Duration median = Duration.ofNanos(latenciesNanos.get(latenciesNanos.size() / 2));
    // Generous for a noisy 2-core machine. This bounds the latency only: loopback drains so fast that it
    // does not show whether fragments yield to small frames while a connection is congested.
    assertThat(median).as("median small-call latency during the transfer").isLessThan(Duration.ofMillis(20));
  }

  /**
   * A message may be larger than frpc.max-queued-outbound-bytes (only frpc.max-message-size bounds it): the
   * limit is for what waits besides the large message being streamed, so the connection stays open, with
   * small calls queued behind and overtaking it.
   */
  @Test
  void aMessageLargerThanTheOutboundQueueLimitIsSentWhileSmallCallsQueue() throws Exception {
    TestNode small = TestNode.builder("small", 1).module("bulk", null, 2, i -> new Bulk())
        .configure(node -> node.maxMessageSize(16 << 20).maxQueuedOutboundBytes(2 << 20)).start();
    TestNode smallCaller = TestNode.builder("caller", 2)
        .configure(node -> node.maxMessageSize(16 << 20).maxQueuedOutboundBytes(2 << 20)).start().connectedTo(small);
    try {
      byte[] large = new byte[6 << 20];
      new Random(7).nextBytes(large);
      List<CompletableFuture<Integer>> pings = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        pings.add(smallCaller.frpc.module("small", "bulk").mod(1).callAsync("ping", Integer.class, i));
      }
      CompletableFuture<byte[]> echo = smallCaller.frpc.module("small", "bulk").mod(0)
          .timeout(Duration.ofSeconds(60)).callAsync("echo", byte[].class, (Object) large);
      for (int i = 50; i < 100; i++) {
        pings.add(smallCaller.frpc.module("small", "bulk").mod(1).callAsync("ping", Integer.class, i));
      }
      assertThat(echo.get(60, TimeUnit.SECONDS)).isEqualTo(large);
      for (int i = 0; i < pings.size(); i++) {
        assertThat(pings.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
      }
      assertThat(smallCaller.frpc.activeNodeIds("small")).containsExactly(1);
    } finally {
      smallCaller.close();
      small.close();
    }
  }

  @Test
  void consecutiveLargeMessagesOnOneConnectionAreReassembledSeparately() throws Exception {
    byte[] first = new byte[3 * 1024 * 1024 + 17];
    byte[] second = new byte[2 * 1024 * 1024 + 5];
    new Random(1).nextBytes(first);
    new Random(2).nextBytes(second);

    CompletableFuture<byte[]> a = caller.frpc.module("game", "bulk").mod(0).callAsync("echo", byte[].class, (Object) first);
    CompletableFuture<byte[]> b = caller.frpc.module("game", "bulk").mod(1).callAsync("echo", byte[].class, (Object) second);

    assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(first);
    assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(second);
  }

  /** A node that speaks without the window feature (an earlier version) and one that has it move large messages. */
  @Test
  void largeMessagesCrossBetweenANodeWithoutTheWindowFeatureAndOneWithIt() throws Exception {
    Set<String> older = FrameType.FEATURES.stream().filter(feature -> !feature.equals(FrameType.FEATURE_WINDOW))
        .collect(Collectors.toUnmodifiableSet());
    byte[] large = new byte[8 * 1024 * 1024 + 3];
    new Random(3).nextBytes(large);
    try (TestNode olderServer = TestNode.builder("older", 1).configure(node -> node.protocolFeatures(older))
            .module("bulk", null, 1, i -> new Bulk()).start();
        TestNode olderCaller = TestNode.builder("older_caller", 1).configure(node -> node.protocolFeatures(older))
            .start().connectedTo(server)) {
      caller.connectedTo(olderServer);

      assertThat(caller.frpc.module("older", "bulk").timeout(Duration.ofSeconds(60))
          .callAsync("echo", byte[].class, (Object) large).get(60, TimeUnit.SECONDS)).isEqualTo(large);
      assertThat(olderCaller.frpc.module("game", "bulk").timeout(Duration.ofSeconds(60))
          .callAsync("echo", byte[].class, (Object) large).get(60, TimeUnit.SECONDS)).isEqualTo(large);
    }
  }
}
