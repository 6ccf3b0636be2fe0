package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  void aMessageOfSeveralMebibytesArrivesIntactWhileSmallCallsContinue() throws Exception {
    byte[] large = new byte[24 * 1024 * 1024];
    new Random(42).nextBytes(large);
    for (int i = 0; i < 200; i++) {
      caller.frpc.module("game", "bulk").mod(1).call("ping", Integer.class, i);
    }

    CompletableFuture<byte[]> echo = caller.frpc.module("game", "bulk").mod(0).timeout(Duration.ofSeconds(60))
        .callAsync("echo", byte[].class, (Object) large);
    int smallCallsDuringTransfer = 0;
    long slowestSmallCallNanos = 0;
    while (!echo.isDone()) {
      long start = System.nanoTime();
      assertThat(caller.frpc.module("game", "bulk").mod(1).call("ping", Integer.class, smallCallsDuringTransfer))
          .isEqualTo(smallCallsDuringTransfer);
      slowestSmallCallNanos = Math.max(slowestSmallCallNanos, System.nanoTime() - start);
      smallCallsDuringTransfer++;
    }

    assertThat(echo.get(60, TimeUnit.SECONDS)).isEqualTo(large);
    assertThat(smallCallsDuringTransfer).as("small calls completed while the large message was in flight")
        .isGreaterThan(1);
    System.out.printf("%d small calls during a 24 MiB echo; slowest %.1f ms%n", smallCallsDuringTransfer,
        slowestSmallCallNanos / 1e6);
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
}
