package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandshakeRateTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final HandshakeRate rate = new HandshakeRate(10, clock::get);

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
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
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
