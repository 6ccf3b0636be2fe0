package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.NodeId;
import io.frpc.internal.module.ModuleRegistry;
import io.frpc.internal.module.RequestDispatcher;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.Handshake.Hello;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.internal.pubsub.Publisher;
import io.frpc.internal.security.SharedSecrets;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The accepting side's handshake timeout, on the connection's event loop (the embedded channel's time): a
 * connection that sends no HELLO is refused exactly at the timeout; an admitted one is no longer subject to it.
 */
class HandshakeTimeoutTest {

  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
  private static final String LOGGER = "io.frpc.handshake-timeout-test";

  private final CapturedLogs logs = CapturedLogs.of(LOGGER);
  private final ManualClock clock = new ManualClock();
  private final PayloadCodec codec = new PayloadCodec();
  private final List<String> refusals = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel();

  HandshakeTimeoutTest() {
    TransportSettings settings = new TransportSettings(1 << 20, 64 * 1024, Duration.ofSeconds(5),
        Duration.ofSeconds(15), HANDSHAKE_TIMEOUT);
    ConnectionLimits limits = new ConnectionLimits(4 << 20, 4 << 20, Duration.ofSeconds(10), 100, 100, 100, 100,
        100);
    RequestDispatcher dispatcher = new RequestDispatcher(ModuleRegistry.create(new NodeId("game", 1), List.of(),
        100, codec, Runnable::run), codec, false, true, FrpcObserver.NONE, FrpcTracer.NONE, clock);
    Refusals refused = new Refusals(LoggerFactory.getLogger(LOGGER), new FrpcObserver() {
      @Override
      public void connectionRefused(String reason) {
        refusals.add(reason);
      }
    }, clock);
    channel.freezeTime();
    Pipelines.initialize(channel.pipeline(), null, settings, limits, limits.inboundBudget(), codec, new Traffic(),
        clock, new ServerHandshakeHandler(new NodeId("game", 1), "boot", settings, limits, codec, dispatcher,
            new Publisher(codec, 1 << 20, 16, 1 << 20, clock), SharedSecrets.none(), new AdmittedPeers(), () -> { },
            refused, () -> false, () -> false, new ConnectionErrors(LoggerFactory.getLogger(LOGGER), clock)));
    channel.pipeline().fireChannelActive();
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    logs.close();
  }

  private void advance(Duration step) {
    channel.advanceTimeBy(step.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  @Test
  void aConnectionThatSendsNoHelloIsClosedAtTheHandshakeTimeoutAndNotBefore() {
    advance(HANDSHAKE_TIMEOUT.minusMillis(1));
    assertThat(channel.isOpen()).isTrue();
    assertThat(refusals).isEmpty();

    advance(Duration.ofMillis(1));

    assertThat(channel.isOpen()).isFalse();
    assertThat(refusals).containsExactly("frpc.handshake-timeout");
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .endsWith(": no handshake within 500 ms (frpc.handshake-timeout)");
  }

  @Test
  void aConnectionItsPeerClosedDuringTheHandshakeIsCountedOnceAndNeverAsAHandshakeTimeout() {
    advance(HANDSHAKE_TIMEOUT.dividedBy(2));

    channel.close();
    advance(HANDSHAKE_TIMEOUT.multipliedBy(4));

    assertThat(refusals).containsExactly("closed-during-handshake");
    assertThat(logs.messages(Level.WARN)).isEmpty();
  }

  @Test
  void anAdmittedConnectionOutlivesTheHandshakeTimeout() {
    channel.writeInbound(Frames.control(UnpooledByteBufAllocator.DEFAULT, FrameType.HELLO, codec,
        new Hello(FrameType.PROTOCOL_VERSION, "lobby", 1, "boot-of-lobby", 1 << 20, Set.of())));
    channel.runPendingTasks();
    ByteBuf ack = channel.readOutbound();
    assertThat(ack.getByte(4)).isEqualTo(FrameType.HELLO_ACK);
    ack.release();

    advance(HANDSHAKE_TIMEOUT.multipliedBy(4));

    assertThat(channel.isOpen()).isTrue();
    assertThat(refusals).isEmpty();
  }
}
