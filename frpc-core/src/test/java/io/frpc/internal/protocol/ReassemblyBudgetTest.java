package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reassembly memory grows with the bytes a peer sends, never with the size it declares, within the node's budget. */
class ReassemblyBudgetTest {

  private static final int MAX_MESSAGE = 128 << 20;
  private static final Duration STALL = Duration.ofSeconds(10);

  private final PayloadCodec codec = new PayloadCodec();
  private final InboundBudget budget = new InboundBudget(3 << 20);

  @Test
  void aDeclaredHundredMegabytesCostsOnlyWhatArrived() {
    EmbeddedChannel peer = established();
    peer.writeInbound(fragment(true, false, 100 << 20, new byte[10]));

    assertThat(budget.used()).as("reserved after a 10-byte first fragment").isLessThanOrEqualTo(64 * 1024);
    peer.finishAndReleaseAll();
  }

  @Test
  void peersTogetherCannotHoldMoreThanTheBudgetAndTheOneThatWouldIsRefused() {
    EmbeddedChannel first = established();
    EmbeddedChannel second = established();
    byte[] chunk = new byte[1 << 20];
    first.writeInbound(fragment(true, false, 100 << 20, chunk));
    first.writeInbound(fragment(false, false, 0, chunk));
    second.writeInbound(fragment(true, false, 100 << 20, chunk));

    assertThatThrownBy(() -> second.writeInbound(fragment(false, false, 0, chunk)))
        .isInstanceOf(DecoderException.class).hasCauseInstanceOf(LimitExceededException.class)
        .hasMessageContaining("frpc.max-inbound-bytes");
    assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());
    first.finishAndReleaseAll();
    second.finishAndReleaseAll();
  }

  @Test
  void aClosedConnectionGivesItsUnfinishedMessageBack() {
    EmbeddedChannel peer = established();
    peer.writeInbound(fragment(true, false, 100 << 20, new byte[200_000]));
    assertThat(budget.used()).isPositive();

    peer.close();

    assertThat(budget.used()).isZero();
    peer.finishAndReleaseAll();
  }

  @Test
  void aCompletedMessageGivesItsBytesBack() {
    EmbeddedChannel peer = established();
    byte[] message = new byte[100_000];
    message[0] = FrameType.PING;
    byte[] first = new byte[70_000];
    System.arraycopy(message, 0, first, 0, first.length);
    peer.writeInbound(fragment(true, false, message.length, first));
    peer.writeInbound(fragment(false, true, 0, new byte[message.length - first.length]));

    assertThat((Object) peer.readInbound()).isInstanceOf(Heartbeat.class);
    assertThat(budget.used()).isZero();
    peer.finishAndReleaseAll();
  }

  @Test
  void aMessageThatStopsMakingProgressClosesItsConnectionAndGivesItsBytesBack() {
    EmbeddedChannel peer = established();
    peer.freezeTime();
    peer.writeInbound(fragment(true, false, 100 << 20, new byte[200_000]));
    peer.advanceTimeBy(STALL.toMillis() - 100, TimeUnit.MILLISECONDS);
    peer.writeInbound(fragment(false, false, 0, new byte[1_000]));
    peer.advanceTimeBy(STALL.toMillis() - 100, TimeUnit.MILLISECONDS);
    peer.runScheduledPendingTasks();
    assertThat(peer.isOpen()).as("progress within the stall timeout keeps it").isTrue();

    peer.advanceTimeBy(200, TimeUnit.MILLISECONDS);
    peer.runScheduledPendingTasks();

    assertThat(peer.isOpen()).isFalse();
    assertThat(budget.used()).isZero();
    assertThatThrownBy(peer::checkException).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("received no fragment for 10000 ms");
    peer.finishAndReleaseAll();
  }

  private EmbeddedChannel established() {
    FrameDecoder frames = new FrameDecoder();
    MessageDecoder messages = new MessageDecoder(codec, MAX_MESSAGE, budget, STALL, new ManualClock());
    frames.handshakeCompleted();
    messages.handshakeCompleted(false);
    return new EmbeddedChannel(frames, messages);
  }

  private static ByteBuf fragment(boolean first, boolean last, int total, byte[] data) {
    ByteBuf frame = Unpooled.buffer();
    frame.writeInt(1 + 1 + (first ? 4 : 0) + data.length);
    frame.writeByte(FrameType.FRAGMENT);
    frame.writeByte(MessageDecoder.fragmentFlags(first, last));
    if (first) {
      frame.writeInt(total);
    }
    frame.writeBytes(data);
    return frame;
  }
}
