package io.frpc.internal.protocol;

import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Random;

/** What the tests of large messages share: a receiving pipeline, fragmented sending, payloads and allocation. */
final class LargeMessages {

  /** The largest message the pipelines of these tests accept. */
  static final int MAX_MESSAGE = 128 << 20;

  private LargeMessages() {
  }

  /** A frame and message decoder past the handshake, reassembling into {@code budget}. */
  static EmbeddedChannel receiver(PayloadCodec codec, InboundBudget budget) {
    FrameDecoder frames = new FrameDecoder();
    MessageDecoder messages = new MessageDecoder(codec, MAX_MESSAGE, budget, Duration.ofSeconds(10),
        new ManualClock());
    frames.handshakeCompleted();
    messages.handshakeCompleted(false);
    return new EmbeddedChannel(frames, messages);
  }

  /** Writes {@code frame} to {@code peer} as FRAGMENT frames of {@code fragmentSize}. */
  static void send(EmbeddedChannel peer, ByteBuf frame, int fragmentSize) {
    EmbeddedChannel writer = new EmbeddedChannel(new FragmentingWriter(fragmentSize, 256 << 20, MAX_MESSAGE));
    writer.writeAndFlush(frame);
    for (ByteBuf out; (out = writer.readOutbound()) != null; ) {
      peer.writeInbound(out);
    }
    writer.finishAndReleaseAll();
  }

  static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** {@code length} random bytes, the same for the same length. */
  static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
