package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large message is encoded into one buffer of the pooled allocator, sized before it is written, whatever the
 * channel's allocator; small frames, and bytes joined to a frame rather than copied, stay with the channel's.
 */
class MessageBuffersTest {

  /** Stands for the channel's allocator: anything but the pooled one. */
  private static final ByteBufAllocator CHANNEL = new UnpooledByteBufAllocator(true);
  private static final int LARGE = 256 * 1024;

  private final PayloadCodec codec = new PayloadCodec();
  private ByteBuf frame;

  @AfterEach
  void release() {
    if (frame != null) {
      frame.release();
    }
  }

  @Test
  void aRequestCarryingALargeByteArrayIsOnePooledBufferThatNeverGrew() {
    frame = request(new byte[LARGE], "name");

    assertThat(frame.alloc()).isSameAs(PooledByteBufAllocator.DEFAULT);
    assertThat(frame.readableBytes()).isGreaterThan(LARGE);
    assertThat(frame.capacity()).as("sized at once: no reallocation and copy as it was written")
        .isLessThanOrEqualTo(Frames.estimatedSize(new Object[] {new byte[LARGE], "name"}) + 256);
  }

  @Test
  void aReplyOfLargeBytesOnTheHeapIsCopiedIntoOnePooledBufferSizedForThem() {
    frame = Frames.ok(CHANNEL, 7, codec, codec.writer(FrpcBytes.class), FrpcBytes.wrap(new byte[LARGE]));

    assertThat(frame.alloc()).isSameAs(PooledByteBufAllocator.DEFAULT);
    assertThat(frame).isNotInstanceOf(CompositeByteBuf.class);
    assertThat(frame.capacity()).isLessThanOrEqualTo(LARGE + 64 + 8);
  }

  @Test
  void largeDirectBytesAreJoinedSoTheFrameTakesNoLargeBufferForThem() {
    try (FrpcBytes direct = FrpcBytes.wrap(ByteBuffer.allocateDirect(LARGE))) {
      frame = request(direct);
    }

    assertThat(frame).isInstanceOf(CompositeByteBuf.class);
    CompositeByteBuf joined = (CompositeByteBuf) frame;
    assertThat(joined.internalComponent(0).capacity()).as("the envelope and the value's head")
        .isLessThan(MessageBuffers.LARGE_BYTES);
    assertThat(joined.internalComponent(0).alloc()).isSameAs(CHANNEL);
  }

  @Test
  void smallFramesStayWithTheChannelsAllocator() {
    frame = request("small", new byte[1024]);

    assertThat(frame.alloc()).isSameAs(CHANNEL);
  }

  private ByteBuf request(Object... args) {
    return Frames.request(CHANNEL, new RequestEnvelope(5, false, InstanceSelection.BALANCE, 0, "bulk", null, "store", 0),
        codec, args);
  }
}
