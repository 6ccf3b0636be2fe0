package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.time.ManualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeRateTest {

  private final ManualClock clock = new ManualClock();
  private final HandshakeRate rate = new HandshakeRate(10, clock);

  private static InetAddress address(int n) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
  }

  private int admitted(InetAddress address, int attempts) {
    int admitted = 0;
    for (int i = 0; i < attempts; i++) {
      admitted += rate.tryAcquire(address) ? 1 : 0;
    }
    return admitted;
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }

  @Test
  void anAddressGetsABurstOfOneSecondsWorthThenOneConnectionPerInterval() throws UnknownHostException {
    assertThat(admitted(address(1), 15)).isEqualTo(10);
    advance(100);
    assertThat(admitted(address(1), 5)).isEqualTo(1);
    advance(1_000);
    assertThat(admitted(address(1), 15)).isEqualTo(10);
  }

  @Test
  void anEmptiedBucketGivesBackOneTokenPerIntervalAndNoneBefore() throws UnknownHostException {
    assertThat(admitted(address(1), 10)).isEqualTo(10);
    advance(99);
    assertThat(rate.tryAcquire(address(1))).as("99 ms after the burst").isFalse();
    advance(1);
    assertThat(rate.tryAcquire(address(1))).as("one interval after the burst").isTrue();
    assertThat(rate.tryAcquire(address(1))).isFalse();
    advance(250);
    assertThat(admitted(address(1), 5)).as("two and a half intervals later").isEqualTo(2);
  }

  @Test
  void eachAddressHasABucketOfItsOwn() throws UnknownHostException {
    assertThat(admitted(address(1), 15)).isEqualTo(10);
    assertThat(admitted(address(2), 15)).isEqualTo(10);
  }

  @Test
  void addressesWhoseBucketIsFullAgainAreForgottenSoThatManyAddressesCannotGrowTheMap()
      throws UnknownHostException {
    for (int n = 0; n < HandshakeRate.MAX_TRACKED + 1_000; n++) {
      rate.tryAcquire(address(n));
    }
    assertThat(rate.tracked()).isEqualTo(HandshakeRate.MAX_TRACKED);

    advance(1_000);
    assertThat(rate.tryAcquire(address(HandshakeRate.MAX_TRACKED + 1_000))).isTrue();
    assertThat(rate.tracked()).isEqualTo(1);
  }
}
