package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcBytes;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;

/**
 * The {@code window} feature: a receiver grants back the fragment bytes it read, a sender keeps the fragment bytes
 * it sent and has not had granted within its window, and small frames are never held back by it.
 */
class FragmentWindowTest {

  private static final int FRAGMENT = 64 * 1024;
  private static final int WINDOW = 256 * 1024;
  private static final Duration GRANT_TIMEOUT = Duration.ofSeconds(10);

  private final PayloadCodec codec = new PayloadCodec();
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void aSenderStopsAtItsWindowUntilThePeerGrantsAndSmallFramesGoMeanwhile() {
    EmbeddedChannel sender = side(true);

    sender.writeAndFlush(request(1 << 20));
    assertThat(sentFragmentBytes(sender)).as("fragment bytes sent before any grant").isEqualTo(WINDOW);

    sender.writeAndFlush(Frames.cancel(ByteBufAllocator.DEFAULT, 7));
    List<ByteBuf> small = drain(sender);
    assertThat(small).hasSize(1);
    assertThat(small.get(0).getByte(4)).as("the small frame goes at once").isEqualTo(FrameType.CANCEL);
    release(small);

    sender.writeInbound(Frames.window(ByteBufAllocator.DEFAULT, 100_000));
    assertThat(sentFragmentBytes(sender)).as("sent after a grant of 100,000 bytes: until the window is full,"
        + " at most one fragment beyond").isEqualTo(2 * FRAGMENT);
  }

  @Test
  void aReceiverGrantsWhatItReadEveryQuarterMebibyteAndWhenTheReadEnds() {
    List<ByteBuf> fragments = fragmentsOf(request(1 << 20));
    EmbeddedChannel receiver = side(true);

    receiver.writeInbound(fragments.subList(0, 5).toArray());

    assertThat(grants(drain(receiver))).containsExactly((long) MessageDecoder.GRANT_AFTER, (long) FRAGMENT);
    release(fragments.subList(5, fragments.size()));
  }

  @Test
  void withoutTheFeatureNothingIsGrantedAndNothingHeldBack() {
    EmbeddedChannel receiver = side(false);
    EmbeddedChannel sender = side(false);

    sender.writeAndFlush(request(1 << 20));
    List<ByteBuf> fragments = drain(sender);
    assertThat(fragments).hasSizeGreaterThan(16);
    receiver.writeInbound(fragments.toArray());

    assertThat(drain(receiver)).isEmpty();
    InboundRequest request = receiver.readInbound();
    assertThat(request.release()).isTrue();
  }

  @Test
  void aLargeMessageCrossesWithAtMostTheWindowAndOneFragmentInFlight() {
    EmbeddedChannel sender = side(true);
    EmbeddedChannel receiver = side(true);
    int size = 4 << 20;

    sender.writeAndFlush(request(size));
    List<Long> inFlight = new ArrayList<>();
    InboundRequest received = null;
    while (received == null) {
      List<ByteBuf> wire = drain(sender);
      assertThat(wire).as("fragments after %s", inFlight).isNotEmpty();
      inFlight.add(fragmentBytes(wire));
      receiver.writeInbound(wire.toArray());
      received = receiver.readInbound();
      drain(receiver).forEach(sender::writeInbound);
    }

    assertThat(inFlight).allSatisfy(bytes -> assertThat(bytes).isBetween(1L, (long) WINDOW + FRAGMENT));
    Object[] args = codec.readArguments(received.arguments(), new ObjectReader[] {codec.reader(byte[].class)},
        FrpcBytes::close);
    assertThat((byte[]) args[0]).isEqualTo(LargeMessages.random(size));
    received.release();
  }

  @Test
  void aWindowFrameWithoutTheFeatureIsAProtocolViolation() {
    EmbeddedChannel side = side(false);

    assertThatThrownBy(() -> side.writeInbound(Frames.window(ByteBufAllocator.DEFAULT, 4096)))
        .isInstanceOf(DecoderException.class).hasRootCauseInstanceOf(ProtocolException.class)
        .hasMessageContaining("without the window feature");
  }

  @Test
  void aGrantOfNothingIsAProtocolViolation() {
    EmbeddedChannel side = side(true);

    assertThatThrownBy(() -> side.writeInbound(Frames.window(ByteBufAllocator.DEFAULT, 0)))
        .hasRootCauseInstanceOf(ProtocolException.class).hasMessageContaining("granting no bytes");
  }

  @Test
  void aGrantOfMoreThanWasSentIsAProtocolViolation() {
    EmbeddedChannel side = side(true);
    side.writeAndFlush(request(1 << 20));
    release(drain(side));

    assertThatThrownBy(() -> side.writeInbound(Frames.window(ByteBufAllocator.DEFAULT, WINDOW + 1)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("granted " + (WINDOW + 1) + " fragment bytes but "
            + WINDOW + " were sent");
  }

  @Test
  void aPeerThatLeavesTheWindowFullForTheGrantTimeoutFailsTheConnectionAndOneThatGrantsDoesNot() {
    EmbeddedChannel sender = side(true);
    sender.freezeTime();
    sender.writeAndFlush(request(1 << 20));
    release(drain(sender));

    sender.advanceTimeBy(9, TimeUnit.SECONDS);
    sender.runScheduledPendingTasks();
    sender.writeInbound(Frames.window(ByteBufAllocator.DEFAULT, FRAGMENT));
    release(drain(sender));
    sender.advanceTimeBy(9, TimeUnit.SECONDS);
    sender.runScheduledPendingTasks();
    sender.checkException();

    sender.advanceTimeBy(1, TimeUnit.SECONDS);
    sender.runScheduledPendingTasks();
    assertThatThrownBy(sender::checkException).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("granted none of the " + WINDOW + " fragment bytes sent for 10000 ms");
  }

  @Test
  void nothingWaitsForAGrantWhenNoFragmentIsLeft() {
    EmbeddedChannel sender = side(true);
    sender.freezeTime();
    sender.writeAndFlush(request(WINDOW / 2));
    release(drain(sender));

    sender.advanceTimeBy(60, TimeUnit.SECONDS);
    sender.runScheduledPendingTasks();

    sender.checkException();
  }

  /** Both directions of one side of a connection past a handshake that did or did not agree the window. */
  private EmbeddedChannel side(boolean window) {
    FrameDecoder frames = new FrameDecoder();
    MessageDecoder messages = new MessageDecoder(codec, LargeMessages.MAX_MESSAGE, new InboundBudget(64 << 20),
        Duration.ofSeconds(10), new ManualClock());
    FragmentingWriter writer = new FragmentingWriter(FRAGMENT, 256 << 20, LargeMessages.MAX_MESSAGE);
    frames.handshakeCompleted();
    messages.handshakeCompleted(window);
    if (window) {
      writer.limitTo(WINDOW, GRANT_TIMEOUT);
    }
    EmbeddedChannel channel = new EmbeddedChannel(frames, messages, writer);
    channels.add(channel);
    return channel;
  }

  private ByteBuf request(int argumentBytes) {
    return Frames.request(ByteBufAllocator.DEFAULT, new RequestEnvelope(3, false, InstanceSelection.BALANCE, 0, "bulk",
        null, "store", 0), codec, new Object[] {LargeMessages.random(argumentBytes)});
  }

  private static List<ByteBuf> fragmentsOf(ByteBuf frame) {
    EmbeddedChannel writer = new EmbeddedChannel(new FragmentingWriter(FRAGMENT, 256 << 20, LargeMessages.MAX_MESSAGE));
    writer.writeAndFlush(frame);
    List<ByteBuf> fragments = drain(writer);
    writer.finishAndReleaseAll();
    return fragments;
  }

  private static List<ByteBuf> drain(EmbeddedChannel channel) {
    List<ByteBuf> frames = new ArrayList<>();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      frames.add(out);
    }
    return frames;
  }

  /** The message bytes of the FRAGMENT frames {@code channel} wrote, which are released. */
  private static long sentFragmentBytes(EmbeddedChannel channel) {
    List<ByteBuf> frames = drain(channel);
    long bytes = fragmentBytes(frames);
    release(frames);
    return bytes;
  }

  /** The message bytes the FRAGMENT frames among {@code frames} carry (after type, flags and a first total). */
  private static long fragmentBytes(List<ByteBuf> frames) {
    long bytes = 0;
    for (ByteBuf frame : frames) {
      assertThat(frame.getByte(4)).isEqualTo(FrameType.FRAGMENT);
      boolean first = (frame.getByte(5) & 0x01) != 0;
      bytes += frame.getInt(0) - 2 - (first ? 4 : 0);
    }
    return bytes;
  }

  /** The bytes granted by {@code frames}, which must all be WINDOW frames; releases them. */
  private static List<Long> grants(List<ByteBuf> frames) {
    List<Long> grants = new ArrayList<>();
    for (ByteBuf frame : frames) {
      assertThat(frame.getInt(0)).isEqualTo(5);
      assertThat(frame.getByte(4)).isEqualTo(FrameType.WINDOW);
      grants.add(frame.getUnsignedInt(5));
      frame.release();
    }
    return grants;
  }

  private static void release(List<ByteBuf> frames) {
    frames.forEach(ByteBuf::release);
  }
}
