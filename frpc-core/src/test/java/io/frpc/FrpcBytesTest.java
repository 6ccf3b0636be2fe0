package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** What {@link FrpcBytes} promises its users, apart from calls: views, reading, equality, closing. */
class FrpcBytesTest {

  private final byte[] bytes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

  @Test
  void wrappingViewsTheMemoryWithoutCopyingItOrMovingABuffersPosition() {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.position(2).limit(6);
    FrpcBytes ofBuffer = FrpcBytes.wrap(buffer);
    FrpcBytes ofArray = FrpcBytes.wrap(bytes, 2, 4);

    assertThat(buffer.position()).isEqualTo(2);
    assertThat(ofBuffer.toByteArray()).containsExactly(2, 3, 4, 5);
    assertThat(ofArray).isEqualTo(ofBuffer).hasSameHashCodeAs(ofBuffer);
    bytes[3] = 42;
    assertThat(ofArray.getByte(1)).as("a view, not a copy").isEqualTo((byte) 42);
    assertThatThrownBy(() -> ofArray.getByte(4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> FrpcBytes.wrap(bytes, 8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void readOnlyBuffersAreOnePerChunkAndTogetherTheBytes() throws Exception {
    CompositeByteBuf chunks = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
    chunks.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes, 0, 4));
    chunks.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes, 4, 6));
    try (FrpcBytes view = FrpcBytes.wrap(chunks)) {
      ByteBuffer[] buffers = view.asReadOnlyBuffers();
      assertThat(buffers).hasSize(2);
      assertThat(buffers[0].isReadOnly()).isTrue();
      assertThatThrownBy(() -> buffers[0].put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
      assertThat(buffers[0].remaining() + buffers[1].remaining()).isEqualTo(bytes.length);
      try (InputStream in = view.newInputStream()) {
        assertThat(in.readAllBytes()).containsExactly(bytes);
      }
      byte[] middle = new byte[4];
      view.getBytes(3, middle, 0, 4);
      assertThat(middle).containsExactly(3, 4, 5, 6);
    }
    assertThat(chunks.refCnt()).as("released when the view is closed").isZero();
  }

  @Test
  void aRetainedViewAndItsBufferOutliveTheFirstAndAClosedViewRefusesUse() {
    ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes);
    FrpcBytes view = FrpcBytes.wrap(direct);
    FrpcBytes kept = view.retain();
    ByteBuf buffer = view.retainedBuffer();
    view.close();
    view.close();

    assertThat(kept.toByteArray()).containsExactly(bytes);
    assertThat(buffer.isReadOnly()).isTrue();
    assertThat(buffer.getByte(9)).isEqualTo((byte) 9);
    assertThatThrownBy(view::toByteArray).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(view).isEqualTo(view).isNotEqualTo(kept).hasToString("FrpcBytes[closed]");
    kept.close();
    assertThat(direct.refCnt()).as("held by the buffer handed out").isPositive();
    buffer.release();
    assertThat(direct.refCnt()).isZero();
  }
}
