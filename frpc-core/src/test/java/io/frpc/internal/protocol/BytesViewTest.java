package io.frpc.internal.protocol;

import static io.frpc.internal.protocol.LargeMessages.allocatedByThisThread;
import static io.frpc.internal.protocol.LargeMessages.random;
import static io.frpc.internal.protocol.LargeMessages.receiver;
import static io.frpc.internal.protocol.LargeMessages.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;

/**
 * {@link FrpcBytes} values: decoded as views of the received message's memory, which stays charged to the node's
 * budget until every view is closed; written from their own memory where it is pooled or direct, in exactly the
 * bytes Jackson would write for the same {@code byte[]}.
 */
class BytesViewTest {

  private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

  private final PayloadCodec codec = new PayloadCodec();
  private final InboundBudget budget = new InboundBudget(64 << 20);
  private final byte[] blob = random(300_001);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  record Upload(String name, FrpcBytes data, int tail) {
  }

  @AfterEach
  void finish() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  @Test
  void anArgumentIsAViewOfTheReceivedChunksThatHoldsTheirBudgetUntilItIsClosed() {
    InboundRequest received = receive(request(FrpcBytes.wrap(blob), "x"));
    long charged = budget.used();
    List<FrpcBytes> opened = new ArrayList<>();

    long before = allocatedByThisThread();
    Object[] args = codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(FrpcBytes.class), codec.reader(String.class)}, opened::add);
    long allocated = allocatedByThisThread() - before;
    received.release();

    FrpcBytes view = (FrpcBytes) args[0];
    assertThat(opened).containsExactly(view);
    assertThat(allocated).as("bytes allocated decoding a view of %s bytes", blob.length).isLessThan(16 * 1024);
    assertThat(view.toByteArray()).isEqualTo(blob);
    assertThat(args[1]).isEqualTo("x");
    assertThat(budget.used()).as("still charged: the view holds the chunks").isEqualTo(charged);

    view.close();
    assertThat(budget.used()).isZero();
    assertThatThrownBy(view::length).isInstanceOf(IllegalStateException.class).hasMessageContaining("retain()");
  }

  @Test
  void aSmallValueOfALargeMessageIsACopyThatHoldsNothing() {
    byte[] small = random(100);
    InboundRequest received = receive(request(FrpcBytes.wrap(blob), FrpcBytes.wrap(small)));
    List<FrpcBytes> opened = new ArrayList<>();

    Object[] args = codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(FrpcBytes.class), codec.reader(FrpcBytes.class)}, opened::add);
    received.release();

    assertThat(opened).containsExactly((FrpcBytes) args[0]);
    opened.forEach(FrpcBytes::close);
    assertThat(budget.used()).isZero();
    assertThat(((FrpcBytes) args[1]).toByteArray()).isEqualTo(small);
  }

  @Test
  void aRetainedViewKeepsTheMemoryAfterTheFirstIsClosed() {
    InboundResponse received = receive(reply(FrpcBytes.wrap(blob)));
    FrpcBytes view = codec.readValue(received.body(), codec.reader(FrpcBytes.class));
    received.body().release();

    FrpcBytes kept = view.retain();
    view.close();
    view.close();

    assertThat(budget.used()).isPositive();
    assertThat(kept.toByteArray()).isEqualTo(blob);
    kept.close();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aDecodeThatFailsClosesTheViewsItMade() {
    InboundRequest received = receive(request(FrpcBytes.wrap(blob), "not a number"));
    List<FrpcBytes> opened = new ArrayList<>();

    assertThatThrownBy(() -> codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(FrpcBytes.class), codec.reader(int.class)}, opened::add))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 2");
    received.release();

    assertThat(opened).isEmpty();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aViewNobodyClosesIsFreedOnceUnreachable() {
    InboundResponse received = receive(reply(FrpcBytes.wrap(blob)));
    assertThat(codec.<FrpcBytes>readValue(received.body(), codec.reader(FrpcBytes.class)).length())
        .isEqualTo(blob.length);
    received.body().release();
    assertThat(budget.used()).as("held by the unreachable view").isPositive();

    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
      System.gc();
      return budget.used() == 0;
    });
  }

  @Test
  void aWholeResultOfDirectMemoryIsWrittenFromThatMemory() {
    ByteBuf direct = POOLED.directBuffer(blob.length).writeBytes(blob);
    FrpcBytes view = FrpcBytes.wrap(direct.retain());
    ByteBuf frame = Frames.ok(POOLED, 7, codec, codec.writer(FrpcBytes.class), view);
    view.close();

    assertThat(frame).isInstanceOf(CompositeByteBuf.class);
    direct.setByte(0, blob[0] + 1);
    assertThat(frame.getByte(frame.writerIndex() - blob.length)).as("the frame shares the value's memory")
        .isEqualTo((byte) (blob[0] + 1));
    direct.setByte(0, blob[0]);

    ByteBuf expected = Frames.ok(POOLED, 7, codec, codec.writer(byte[].class), blob);
    assertThat(ByteBufUtil.equals(frame, expected)).as("the bytes Jackson writes for a byte[]").isTrue();
    expected.release();
    frame.release();
    assertThat(direct.release()).as("the frame held the value's memory until released").isTrue();
  }

  @Test
  void argumentsMixingViewsAndValuesAreTheBytesJacksonWritesForArrays() {
    ByteBuf direct = POOLED.directBuffer(blob.length).writeBytes(blob);
    byte[] small = random(100);
    byte[] heap = random(70_000);
    Upload nested = new Upload("n", FrpcBytes.wrap(ByteBuffer.wrap(small)), 3);
    record ByteUpload(String name, byte[] data, int tail) {
    }

    FrpcBytes whole = FrpcBytes.wrap(direct);
    FrpcBytes part = FrpcBytes.wrap(direct.retainedSlice(5, 20_000));
    ByteBuf frame = request(1, whole, "s", FrpcBytes.wrap(small), nested, null, FrpcBytes.wrap(heap), part);
    whole.close();
    part.close();
    assertThat(direct.refCnt()).as("held by the frame").isPositive();
    ByteBuf expected = request(1, blob, "s", small, new ByteUpload("n", small, 3), null, heap,
        ByteBufUtil.getBytes(direct, 5, 20_000));

    assertThat(ByteBufUtil.equals(frame, expected)).isTrue();
    frame.release();
    expected.release();
    assertThat(direct.refCnt()).as("released with the frame").isZero();
  }

  @Test
  void heapMemoryIsCopiedIntoTheDirectFrameSoTheSocketNeedNotCopyItAgain() {
    ByteBuf frame = request(FrpcBytes.wrap(blob), "x");
    ByteBuf result = reply(FrpcBytes.wrap(ByteBuffer.wrap(blob)));

    assertThat(frame.isDirect()).isTrue();
    assertThat(result.isDirect()).isTrue();
    assertThat(frame).isNotInstanceOf(CompositeByteBuf.class);
    frame.release();
    result.release();
  }

  @Test
  void valuesInsideOtherValuesAndOfHeapMemoryRoundTrip() {
    Upload upload = new Upload("u", FrpcBytes.wrap(blob), 9);
    InboundRequest received = receive(request(upload, FrpcBytes.wrap(ByteBuffer.wrap(blob, 1, 10))));

    List<FrpcBytes> opened = new ArrayList<>();
    Object[] args = codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(Upload.class), codec.reader(FrpcBytes.class)}, opened::add);
    received.release();

    Upload read = (Upload) args[0];
    assertThat(read.data()).isEqualTo(FrpcBytes.wrap(blob));
    assertThat(read.tail()).isEqualTo(9);
    assertThat(((FrpcBytes) args[1]).toByteArray()).containsExactly(Arrays.copyOfRange(blob, 1, 11));
    opened.forEach(FrpcBytes::close);
    assertThat(budget.used()).isZero();
  }

  @Test
  void theParserSkipsABinaryValueTakenFromThePayloadWithoutCopyingIt() {
    ObjectReader[] readers = {codec.reader(FrpcBytes.class), codec.reader(String.class)};
    CountingMessage view = pooledArguments(blob, "after");
    List<FrpcBytes> opened = new ArrayList<>();
    Object[] args = codec.readArguments(Payload.owning(view), readers, opened::add);
    assertThat(args[1]).isEqualTo("after");
    assertThat(view.copiedOut).as("bytes copied out of the payload").isLessThan(16 * 1024);
    opened.forEach(FrpcBytes::close);

    CountingMessage array = pooledArguments(blob, "after");
    args = codec.readArguments(Payload.owning(array), new ObjectReader[] {codec.reader(byte[].class),
        codec.reader(String.class)}, opened::add);
    assertThat((byte[]) args[0]).isEqualTo(blob);
    assertThat(args[1]).isEqualTo("after");
    assertThat(array.copiedOut).as("bytes copied out of the payload for a byte[]")
        .isLessThan(blob.length + 16 * 1024);
    array.release();
    view.release();
  }

  /** Counts the bytes copied out of it into arrays, as a parser's stream and a byte[] binding do. */
  private static final class CountingMessage extends CompositeByteBuf {
    long copiedOut;

    CountingMessage() {
      super(POOLED, true, Integer.MAX_VALUE);
    }

    @Override
    public CompositeByteBuf getBytes(int index, byte[] target, int targetIndex, int length) {
      copiedOut += length;
      return super.getBytes(index, target, targetIndex, length);
    }
  }

  private CountingMessage pooledArguments(Object... args) {
    ByteBuf encoded = codec.writeArguments(POOLED.directBuffer(), args);
    CountingMessage message = new CountingMessage();
    for (int at = 0; at < encoded.readableBytes(); at += 64 * 1024) {
      int length = Math.min(64 * 1024, encoded.readableBytes() - at);
      message.addComponent(true, POOLED.directBuffer(length).writeBytes(encoded, at, length));
    }
    encoded.release();
    return message;
  }

  @Test
  void lengthsAreWrittenAsJacksonWritesThem() {
    for (int length : new int[] {0, 1, 63, 64, 65, 8191, 8192, 8193, 1 << 20, (1 << 20) - 1, (1 << 21) + 3}) {
      byte[] jackson = codec.writer(byte[].class).writeValueAsBytes(new byte[length]);
      ByteBuf ours = Unpooled.buffer();
      ScalarSmile.writeUnsignedVInt(ours, length);
      // the header (4 bytes) and the raw binary token, then the length
      assertThat(ByteBufUtil.getBytes(ours)).as("length %s", length)
          .containsExactly(Arrays.copyOfRange(jackson, 5, 5 + ours.readableBytes()));
      assertThat(jackson.length).isEqualTo(5 + ours.readableBytes() + length);
    }
  }

  private ByteBuf request(Object... args) {
    return Frames.request(POOLED, new RequestEnvelope(5, false, InstanceSelection.BALANCE, 0, "bulk", null, "store",
        0), codec, args);
  }

  private ByteBuf reply(Object value) {
    return Frames.ok(POOLED, 5, codec, codec.writer(Object.class), value);
  }

  /** Writes {@code frame} to a decoder as FRAGMENT frames of 64 KiB and returns what it decoded. */
  private <T> T receive(ByteBuf frame) {
    EmbeddedChannel peer = receiver(codec, budget);
    channels.add(peer);
    send(peer, frame, 64 * 1024);
    return peer.readInbound();
  }
}
