package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.observability.FrpcObserver;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HandshakeSlotsTest {

  private final CapturedLogs logs = CapturedLogs.of("io.frpc.internal.transport");
  private final List<String> refusals = new ArrayList<>();
  private final HandshakeSlots slots = new HandshakeSlots(new ConnectionLimits(1 << 20, 1 << 20,
      Duration.ofSeconds(10), 100, 6, 4, 2, 100),
      new Refusals(LoggerFactory.getLogger(HandshakeSlots.class), new FrpcObserver() {
        @Override
        public void connectionRefused(String reason) {
          refusals.add(reason);
        }
      }, new ManualClock()));

  @AfterEach
  void closeLogs() {
    logs.close();
  }

  private Channel connect(String address) {
    Channel channel = new EmbeddedChannel();
    slots.take(channel, new InetSocketAddress(address, 9000));
    return channel;
  }

  @Test
  void aConnectionBeyondTheLimitOfItsAddressClosesTheAddresssOldest() {
    Channel oldest = connect("10.0.0.1");
    Channel newer = connect("10.0.0.1");
    Channel other = connect("10.0.0.2");

    Channel newest = connect("10.0.0.1");

    assertThat(oldest.isOpen()).isFalse();
    assertThat(List.of(newer, other, newest)).allMatch(Channel::isOpen);
    assertThat(refusals).containsExactly("frpc.server.max-handshaking-per-address");
    assertThat(slots.size()).isEqualTo(3);
  }

  @Test
  void aConnectionBeyondTheLimitOfItsNetworkClosesTheNetworksOldestWhateverItsAddress() {
    Channel oldest = connect("10.0.0.1");
    List<Channel> newer = List.of(connect("10.0.0.2"), connect("10.0.0.3"), connect("10.0.0.4"),
        connect("10.0.1.1"));

    Channel newest = connect("10.0.0.5");

    assertThat(oldest.isOpen()).isFalse();
    assertThat(newer).allMatch(Channel::isOpen);
    assertThat(newest.isOpen()).isTrue();
    assertThat(refusals).containsExactly("frpc.server.max-handshaking-per-network");
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() {
    Channel oldest = connect("2001:db8:0:1::1");
    List<Channel> newer = List.of(connect("2001:db8:0:1::2"), connect("2001:db8:0:1:ffff::3"),
        connect("2001:db8:0:1::4"), connect("2001:db8:0:2::1"));

    connect("2001:db8:0:1::5");

    assertThat(oldest.isOpen()).isFalse();
    assertThat(newer).allMatch(Channel::isOpen);
  }

  @Test
  void aConnectionBeyondTheListenersLimitClosesTheOldestOfAll() {
    List<Channel> open = new ArrayList<>();
    for (int network = 1; network <= 6; network++) {
      open.add(connect("10.0." + network + ".1"));
    }

    Channel newest = connect("10.0.7.1");

    assertThat(open.get(0).isOpen()).isFalse();
    assertThat(open.subList(1, 6)).allMatch(Channel::isOpen);
    assertThat(newest.isOpen()).isTrue();
    assertThat(refusals).containsExactly("frpc.server.max-handshaking");
  }

  @Test
  void theConnectionLimitClosesTheOldestConnectionInTheHandshakeUntilNoneIsLeft() {
    Channel oldest = connect("10.0.0.1");
    Channel newer = connect("10.0.1.1");
    InetSocketAddress newcomer = new InetSocketAddress("10.0.2.1", 9000);

    assertThat(slots.evictOldest(newcomer)).isTrue();
    assertThat(oldest.isOpen()).isFalse();
    assertThat(newer.isOpen()).isTrue();
    assertThat(slots.evictOldest(newcomer)).isTrue();
    assertThat(slots.evictOldest(newcomer)).isFalse();
    assertThat(refusals).containsExactly("frpc.server.max-connections", "frpc.server.max-connections");
  }

  @Test
  void aSlotReleasedOnceTheHandshakeCompletesOrTheConnectionClosesLeavesNothingBehind() {
    Channel channel = new EmbeddedChannel();
    HandshakeSlots.Slot slot = slots.take(channel, new InetSocketAddress("10.0.0.1", 9000));

    slot.release();
    slot.release();

    assertThat(slots.size()).isZero();
    assertThat(slot.evicted()).isFalse();
    assertThat(slots.evictOldest(new InetSocketAddress("10.0.0.2", 9000))).isFalse();
  }

  @Test
  void anEvictedSlotKnowsTheListenerClosedItsConnection() {
    HandshakeSlots.Slot first = slots.take(new EmbeddedChannel(), new InetSocketAddress("10.0.0.1", 9000));
    slots.take(new EmbeddedChannel(), new InetSocketAddress("10.0.0.1", 9000));
    slots.take(new EmbeddedChannel(), new InetSocketAddress("10.0.0.1", 9000));

    assertThat(first.evicted()).isTrue();
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("Closing the oldest connection still in the handshake")
        .contains("the limit of 2 connections from 10.0.0.1 in the handshake is reached "
            + "(frpc.server.max-handshaking-per-address)");
  }
}
