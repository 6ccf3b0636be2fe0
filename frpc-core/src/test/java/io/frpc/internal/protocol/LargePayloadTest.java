package io.frpc.internal.protocol;

import static io.frpc.internal.protocol.LargeMessages.allocatedByThisThread;
import static io.frpc.internal.protocol.LargeMessages.random;
import static io.frpc.internal.protocol.LargeMessages.receiver;
import static io.frpc.internal.protocol.LargeMessages.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;

/**
 * A fragmented request or reply is decoded from the pooled chunks it was reassembled into, which stay charged to
 * the node's budget until the payload is released; binary values are read from the payload in one copy of their
 * exact size, whatever their size.
 */
class LargePayloadTest {

  private final PayloadCodec codec = new PayloadCodec();
  private final InboundBudget budget = new InboundBudget(64 << 20);

  /** A value over Jackson's 250,000-byte limit for reading binary values whole. */
  private final byte[] blob = random(300_001);

  record Upload(String name, byte[] data, int tail) {
  }

  @Test
  void aReassembledRequestKeepsItsChunksChargedUntilItsPayloadIsReleased() {
    EmbeddedChannel peer = established();
    send(peer, request(new Object[] {blob, "x"}), 64 * 1024);

    InboundRequest received = peer.readInbound();
    assertThat(budget.used()).as("charged while the payload is held")
        .isBetween((long) blob.length, (long) blob.length + MessageDecoder.CHUNK_BYTES);
    Object[] args = codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(byte[].class), codec.reader(String.class)}, FrpcBytes::close);
    assertThat((byte[]) args[0]).isEqualTo(blob);
    assertThat(args[1]).isEqualTo("x");

    assertThat(received.release()).isTrue();
    assertThat(budget.used()).isZero();
    peer.finishAndReleaseAll();
  }

  @Test
  void tinyFragmentsAreGatheredIntoChunksSoTheMessageHoldsNoMoreThanItsSizeAndOneChunk() {
    EmbeddedChannel peer = established();
    send(peer, request(new Object[] {blob}), 1024);

    InboundRequest received = peer.readInbound();
    assertThat(budget.used()).isLessThanOrEqualTo(blob.length + MessageDecoder.CHUNK_BYTES);
    assertThat(codec.readArguments(received.arguments(), new ObjectReader[] {codec.reader(byte[].class)},
        FrpcBytes::close)[0]).isEqualTo(blob);
    received.release();
    assertThat(budget.used()).isZero();
    peer.finishAndReleaseAll();
  }

  @Test
  void aPayloadNettyReleasesGivesItsMemoryBack() {
    EmbeddedChannel peer = established();
    send(peer, request(new Object[] {blob}), 64 * 1024);

    assertThat(budget.used()).isPositive();
    // an unread message is released by the channel, as the pipeline's end releases one no handler took
    peer.finishAndReleaseAll();

    assertThat(budget.used()).isZero();
  }

  @Test
  void largeBinaryValuesBindFromPooledAndArrayPayloadsAlike() {
    Object[] values = {blob, ByteBuffer.wrap(blob), new Upload("u", blob, 9)};
    ObjectReader[] readers = {codec.reader(byte[].class), codec.reader(ByteBuffer.class), codec.reader(Upload.class)};
    EmbeddedChannel peer = established();
    ByteBuf frame = request(values);
    byte[] whole = new byte[frame.readableBytes() + 3];
    frame.getBytes(frame.readerIndex(), whole, 3, frame.readableBytes());
    send(peer, frame, 64 * 1024);
    InboundRequest pooled = peer.readInbound();
    // the same arguments in an array at an offset (they end the frame), as a small message's payload is
    int argumentsAt = whole.length - pooled.arguments().length();
    Payload array = new Payload(whole, argumentsAt, pooled.arguments().length());

    for (Payload payload : List.of(pooled.arguments(), array)) {
      Object[] args = codec.readArguments(payload, readers, FrpcBytes::close);
      assertThat((byte[]) args[0]).isEqualTo(blob);
      ByteBuffer buffer = (ByteBuffer) args[1];
      assertThat(buffer.remaining()).isEqualTo(blob.length);
      assertThat(Arrays.equals(buffer.array(), blob)).isTrue();
      Upload upload = (Upload) args[2];
      assertThat(upload.data()).isEqualTo(blob);
      assertThat(upload.tail()).isEqualTo(9);
    }
    pooled.release();
    peer.finishAndReleaseAll();
  }

  @Test
  void decodingALargeBinaryValueAllocatesLittleMoreThanTheValue() {
    EmbeddedChannel peer = established();
    ObjectReader[] readers = {codec.reader(byte[].class)};
    long fromChunks = Long.MAX_VALUE;
    long fromArray = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      send(peer, request(new Object[] {blob}), 64 * 1024);
      InboundRequest received = peer.readInbound();
      byte[] copy = ByteBufUtil.getBytes(received.arguments().view());
      long before = allocatedByThisThread();
      Object[] args = codec.readArguments(received.arguments(), readers, FrpcBytes::close);
      long between = allocatedByThisThread();
      Object[] again = codec.readArguments(new Payload(copy, 0, copy.length), readers, FrpcBytes::close);
      fromArray = Math.min(fromArray, allocatedByThisThread() - between);
      fromChunks = Math.min(fromChunks, between - before);
      received.release();
      assertThat((byte[]) args[0]).isEqualTo(blob);
      assertThat((byte[]) again[0]).isEqualTo(blob);
    }
    // Jackson alone reads a value this large in chunks and copies it once more: over twice its size. Reading
    // pooled chunks costs a little more here than in production: the build's paranoid leak detector records
    // every read of them (about 0.3 of the value here).
    assertThat(fromArray).isLessThan(blob.length + blob.length / 10);
    assertThat(fromChunks).isLessThan(blob.length + blob.length * 6 / 10);
    peer.finishAndReleaseAll();
  }

  @Test
  void aBinaryValueLongerThanThePayloadFailsWithoutAllocatingItsDeclaredSize() {
    byte[] encoded = codec.writer(byte[].class).writeValueAsBytes(new byte[1000]);
    // Smile: a 4-byte header, the raw binary token, the length as an unsigned VInt (1000: two bytes), the data
    assertThat(encoded).hasSize(4 + 1 + 2 + 1000);
    assertThat(encoded[4] & 0xFF).isEqualTo(0xFD);
    // the same 1000 bytes claiming to be 100,000,000
    int claimed = 100_000_000;
    byte[] forged = new byte[4 + 1 + 4 + 1000];
    System.arraycopy(encoded, 0, forged, 0, 5);
    forged[5] = (byte) (claimed >>> 20 & 0x7F);
    forged[6] = (byte) (claimed >>> 13 & 0x7F);
    forged[7] = (byte) (claimed >>> 6 & 0x7F);
    forged[8] = (byte) (0x80 | claimed & 0x3F);

    assertThatThrownBy(() -> codec.readValue(new Payload(forged, 0, forged.length), codec.reader(byte[].class)))
        .hasMessageContaining("Unexpected end");
    assertThat((byte[]) codec.readValue(new Payload(encoded, 0, encoded.length), codec.reader(byte[].class)))
        .hasSize(1000);
  }

  private ByteBuf request(Object[] args) {
    return Frames.request(Unpooled.buffer().alloc(), new RequestEnvelope(5, false, InstanceSelection.BALANCE, 0,
        "bulk", null, "store", 0), codec, args);
  }

  private EmbeddedChannel established() {
    return receiver(codec, budget);
  }
}
