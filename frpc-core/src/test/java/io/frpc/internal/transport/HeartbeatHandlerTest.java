package io.frpc.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * The heartbeat of an established connection, on the pipeline {@link Pipelines} builds, driven by the embedded
 * event loop's time: a PING every interval, busy or quiet; a peer silent for the heartbeat timeout is failed
 * then and not a millisecond before; the PONG measures the round trip.
 */
class HeartbeatHandlerTest {

  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final String LOGGER = "io.frpc.heartbeat-test";

  private final CapturedLogs logs = CapturedLogs.of(LOGGER);
  private final ManualClock clock = new ManualClock();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final OutgoingConnection connection;

  HeartbeatHandlerTest() {
    TransportSettings settings = new TransportSettings(1 << 20, 64 * 1024, INTERVAL, TIMEOUT, Duration.ofSeconds(10));
    ConnectionLimits limits = new ConnectionLimits(4 << 20, 4 << 20, Duration.ofSeconds(10), 100, 100, 100, 100,
        100);
    channel.freezeTime();
    Pipelines.initialize(channel.pipeline(), null, settings, limits, limits.inboundBudget(), new PayloadCodec(),
        new Traffic(), clock, new ChannelInboundHandlerAdapter());
    connection = new OutgoingConnection(new RemoteNode(new NodeId("game", 1), "10.0.0.7", 9000, "boot"), channel,
        1 << 20, clock, Set.of(), new ConnectionErrors(LoggerFactory.getLogger(LOGGER), clock));
    Pipelines.handshakeCompleted(channel.pipeline(), settings, limits, Set.of(), false, null, connection::pong,
        "replies", connection);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    logs.close();
  }

  private void advance(Duration step) {
    channel.advanceTimeBy(step.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks(); // the flushes the timers' writes queued
  }

  /** The timestamps of the PINGs written since the last look; nothing else may have been written. */
  private List<Long> pingsSent() {
    List<Long> pings = new ArrayList<>();
    for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
      assertThat(frame.getByte(4)).as("frame type").isEqualTo(FrameType.PING);
      pings.add(frame.getLong(5));
      frame.release();
    }
    return pings;
  }

  private void receive(ByteBuf frame) {
    channel.writeInbound(frame);
  }

  private void discardWritten() {
    for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
      frame.release();
    }
  }

  @Test
  void aPingGoesOutEveryIntervalStampedWithTheEventLoopsTicker() {
    long start = channel.eventLoop().ticker().nanoTime();

    advance(INTERVAL.minusMillis(1));
    assertThat(pingsSent()).as("before the first interval").isEmpty();
    advance(Duration.ofMillis(1));
    assertThat(pingsSent()).containsExactly(start + INTERVAL.toNanos());
    advance(INTERVAL);
    assertThat(pingsSent()).containsExactly(start + 2 * INTERVAL.toNanos());
  }

  @Test
  void aBusyConnectionPingsEveryIntervalToo() {
    List<Long> pings = new ArrayList<>();
    for (int step = 0; step < 50; step++) {
      // the peer's PING every 100 ms: this side writes a PONG each time, and the peer is never silent
      receive(Frames.heartbeat(UnpooledByteBufAllocator.DEFAULT, false, step));
      advance(Duration.ofMillis(100));
      for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
        if (frame.getByte(4) == FrameType.PING) {
          pings.add(frame.getLong(5));
        }
        frame.release();
      }
    }

    assertThat(pings).as("PINGs among a write every 100 ms for 5 s").hasSize(5);
  }

  @Test
  void aPeerSilentForTheHeartbeatTimeoutIsClosedThenAndNotBefore() {
    advance(TIMEOUT.minusMillis(1));
    assertThat(channel.isOpen()).as("a millisecond before the timeout").isTrue();

    advance(Duration.ofMillis(1));

    assertThat(channel.isOpen()).isFalse();
    assertThat(logs.messages(Level.WARN)).containsExactly("Closing connection with game:1 (10.0.0.7:9000): limit "
        + "reached: nothing received for 3000 ms (frpc.heartbeat-timeout)");
  }

  @Test
  void theTimeoutCountsFromTheLastFrameReceived() {
    advance(Duration.ofSeconds(2));
    receive(Frames.heartbeat(UnpooledByteBufAllocator.DEFAULT, false, 42));
    discardWritten();

    advance(TIMEOUT.minusMillis(1));
    assertThat(channel.isOpen()).as("2 s + 3 s - 1 ms: within the timeout of the last frame").isTrue();
    advance(Duration.ofMillis(1));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aPeerThatAnswersEveryPingStaysConnectedIndefinitely() {
    for (int i = 0; i < 30; i++) {
      advance(INTERVAL);
      for (long stamp : pingsSent()) {
        receive(Frames.heartbeat(UnpooledByteBufAllocator.DEFAULT, true, stamp));
      }
    }

    assertThat(channel.isOpen()).as("after ten heartbeat timeouts").isTrue();
    assertThat(logs.events()).isEmpty();
  }

  @Test
  void thePongOfAPingMeasuresTheRoundTrip() {
    assertThat(connection.rttNanos()).as("before the first answer").isEqualTo(-1);
    advance(INTERVAL);
    long stamp = pingsSent().get(0);

    advance(Duration.ofMillis(7));
    receive(Frames.heartbeat(UnpooledByteBufAllocator.DEFAULT, true, stamp));

    assertThat(connection.rttNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
  }

  @Test
  void aPingFromThePeerIsAnsweredWithAPongEchoingItsStamp() {
    receive(Frames.heartbeat(UnpooledByteBufAllocator.DEFAULT, false, 4242));
    channel.runPendingTasks();

    ByteBuf pong = channel.readOutbound();
    assertThat(pong.getByte(4)).isEqualTo(FrameType.PONG);
    assertThat(pong.getLong(5)).isEqualTo(4242);
    pong.release();
  }
}
