package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.time.ManualClock;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How {@link FrameDecoder} gathers frames that span reads: large ones by reference, whatever the reads' sizes. */
class FrameDecoderTest {

  /** Unpooled, so its count of memory in use is exact: every read, cumulation and frame released ends at zero. */
  private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);

  @Test
  void aLargeFrameArrivingInFullReadsIsHeldByReferenceNotCopied() {
    byte[] body = random(200_000, 1);
    EmbeddedChannel channel = established();

    byte[] wire = frame(body);
    ByteBuf last = null;
    for (int at = 0; at < wire.length; at += 65_536) {
      int length = Math.min(65_536, wire.length - at);
      last = read(wire, at, length, length);
      channel.writeInbound(last);
    }

    ByteBuf frame = channel.readInbound();
    assertThat(underlying(frame)).as("a slice of the reads, gathered by reference").isInstanceOf(CompositeByteBuf.class);
    long lastRead = last.memoryAddress();
    assertThat(parts(frame)).anySatisfy(part -> assertThat(part.memoryAddress()).isEqualTo(lastRead));
    assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(body);
    frame.release();
    assertThat(channel.finish()).isFalse();
    assertReleased();
  }

  @Test
  void aReadIntoAMostlyEmptyBufferJoinsAsACopyOfItsBytesOnly() {
    byte[] body = random(200_000, 4);
    byte[] wire = frame(body);
    EmbeddedChannel channel = established();

    channel.writeInbound(read(wire, 0, 65_536, 65_536));
    channel.writeInbound(read(wire, 65_536, 65_536, 65_536));
    channel.writeInbound(read(wire, 131_072, 5_000, 65_536));
    channel.writeInbound(read(wire, 136_072, wire.length - 136_072, 65_536));

    ByteBuf frame = channel.readInbound();
    assertThat(parts(frame)).extracting(ByteBuf::readableBytes).containsExactly(65_536, 65_536, 5_000,
        wire.length - 136_072);
    assertThat(parts(frame).get(2).unwrap().capacity()).as("copied into a buffer of its size").isEqualTo(5_000);
    assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(body);
    frame.release();
    assertThat(channel.finish()).isFalse();
    assertReleased();
  }

  @Test
  void tinyReadsThatFillTinyBuffersAreCopiedSoAFrameHasAtMostOnePartPerKibibyte() {
    byte[] body = random(200_000, 6);
    byte[] wire = frame(body);
    EmbeddedChannel channel = established();

    channel.writeInbound(read(wire, 0, 65_536, 65_536));
    for (int at = 65_536; at < wire.length; at += 40) {
      int length = Math.min(40, wire.length - at);
      channel.writeInbound(read(wire, at, length, Math.min(64, 2 * length))); // every buffer filled at least half
    }

    ByteBuf frame = channel.readInbound();
    ByteBuf held = underlying(frame);
    int parts = held instanceof CompositeByteBuf composite ? composite.numComponents() : 1;
    assertThat(parts).isLessThanOrEqualTo(wire.length / FrameDecoder.PART_MIN_BYTES);
    assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(body);
    frame.release();
    assertThat(channel.finish()).isFalse();
    assertReleased();
  }

  @Test
  void aTinyReadIsCopiedWithTheFrameSoFarOnceIntoRoomForAllOfIt() {
    byte[] body = random(200_000, 2);
    byte[] wire = frame(body);
    EmbeddedChannel channel = established();

    channel.writeInbound(read(wire, 0, 65_536, 65_536));
    channel.writeInbound(read(wire, 65_536, 65_536, 65_536));
    channel.writeInbound(read(wire, 131_072, 100, 65_536));
    channel.writeInbound(read(wire, 131_172, 60_000, 65_536));
    channel.writeInbound(read(wire, 191_172, wire.length - 191_172, 65_536));

    ByteBuf frame = channel.readInbound();
    assertThat(underlying(frame)).as("one buffer for the whole frame").isNotInstanceOf(CompositeByteBuf.class);
    assertThat(underlying(frame).capacity()).isEqualTo(wire.length);
    assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(body);
    frame.release();
    assertThat(channel.finish()).isFalse();
    assertReleased();
  }

  @Test
  void framesOfEverySizeSplitIntoReadsOfEverySizeComeOutWholeAndInOrder() {
    Random random = new Random(3);
    List<byte[]> bodies = new ArrayList<>();
    ByteBuf stream = alloc.heapBuffer();
    for (int i = 0; i < 300; i++) {
      int size = switch (i % 4) {
        case 0 -> 1 + random.nextInt(100);
        case 1 -> 1 + random.nextInt(20_000);
        default -> FrameDecoder.REFERENCED_FRAME_BYTES + random.nextInt(300_000);
      };
      byte[] body = random(size, i);
      bodies.add(body);
      stream.writeBytes(frame(body));
    }
    byte[] wire = ByteBufUtil.getBytes(stream);
    stream.release();
    EmbeddedChannel channel = established();

    List<byte[]> received = new ArrayList<>();
    for (int at = 0; at < wire.length; ) {
      int capacity = switch (random.nextInt(3)) {
        case 0 -> 1 + random.nextInt(64);
        case 1 -> 2048;
        default -> 65_536;
      };
      int length = Math.min(wire.length - at, random.nextBoolean() ? capacity : 1 + random.nextInt(capacity));
      channel.writeInbound(read(wire, at, length, capacity));
      at += length;
      for (ByteBuf frame; (frame = channel.readInbound()) != null; ) {
        received.add(ByteBufUtil.getBytes(frame));
        frame.release();
      }
    }

    assertThat(received).hasSameSizeAs(bodies);
    for (int i = 0; i < bodies.size(); i++) {
      assertThat(received.get(i)).as("frame %d", i).isEqualTo(bodies.get(i));
    }
    assertThat(channel.finish()).isFalse();
    assertReleased();
  }

  @Test
  void aLargeMessageInFramesHeldByReferenceIsReassembledWithoutAHeapCopyOfItsBytes() {
    // the leak detector's records of buffer accesses would outweigh what is measured; no other test runs meanwhile
    ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    try {
      AdaptiveByteBufAllocator pooled = new AdaptiveByteBufAllocator(true);
      EmbeddedChannel reader = reassembling(pooled);
      for (ByteBuf read : reads(pooled, 1 << 20)) { // loads the classes of the path, which takes heap of its own
        reader.writeInbound(read);
      }
      ((InboundRequest) reader.readInbound()).arguments().release();
      int size = 8 << 20;
      List<ByteBuf> reads = reads(pooled, size);

      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadAllocatedBytes();
      for (ByteBuf read : reads) {
        reader.writeInbound(read);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;

      InboundRequest request = reader.readInbound();
      assertThat(request.arguments().length()).isGreaterThan(size);
      assertThat(allocated).as("heap bytes allocated reassembling %d bytes", size).isLessThan(size / 16);
      request.arguments().release();
      assertThat(reader.finish()).isFalse();
    } finally {
      ResourceLeakDetector.setLevel(level);
    }
  }

  /** A request with a {@code size}-byte argument, in 64 KiB fragments, as the full 64 KiB reads that bring it. */
  private static List<ByteBuf> reads(AdaptiveByteBufAllocator alloc, int size) {
    ByteBuf message = Frames.request(alloc, new RequestEnvelope(1, false, InstanceSelection.BALANCE, 0, "bulk", null,
        "store", 0), new PayloadCodec(), new Object[] {random(size, size)});
    EmbeddedChannel writer = new EmbeddedChannel(new FragmentingWriter(64 * 1024, 64 << 20, 64 << 20));
    writer.writeAndFlush(message);
    ByteBuf stream = alloc.directBuffer();
    for (ByteBuf fragment; (fragment = writer.readOutbound()) != null; ) {
      stream.writeBytes(fragment);
      fragment.release();
    }
    List<ByteBuf> reads = new ArrayList<>();
    while (stream.isReadable()) {
      int length = Math.min(65_536, stream.readableBytes());
      reads.add(alloc.directBuffer(length, length).writeBytes(stream, length));
    }
    stream.release();
    return reads;
  }

  private static EmbeddedChannel reassembling(AdaptiveByteBufAllocator alloc) {
    FrameDecoder frames = new FrameDecoder();
    MessageDecoder messages = new MessageDecoder(new PayloadCodec(), 16 << 20, new InboundBudget(64 << 20),
        Duration.ofSeconds(10), new ManualClock());
    frames.handshakeCompleted();
    messages.handshakeCompleted(false);
    EmbeddedChannel reader = new EmbeddedChannel(frames, messages);
    reader.config().setAllocator(alloc);
    return reader;
  }

  private EmbeddedChannel established() {
    FrameDecoder decoder = new FrameDecoder();
    decoder.handshakeCompleted();
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    channel.config().setAllocator(alloc);
    return channel;
  }

  /** {@code length} bytes of {@code wire} from {@code at}, in a pooled buffer of {@code capacity}, as a read gives. */
  private ByteBuf read(byte[] wire, int at, int length, int capacity) {
    return alloc.directBuffer(capacity, capacity).writeBytes(wire, at, length);
  }

  private void assertReleased() {
    assertThat(alloc.metric().usedDirectMemory()).isZero();
    assertThat(alloc.metric().usedHeapMemory()).isZero();
  }

  /** The buffer a frame is a slice of, through the leak detector's wrappers. */
  private static ByteBuf underlying(ByteBuf frame) {
    ByteBuf inner = frame;
    while (inner.unwrap() != null) {
      inner = inner.unwrap();
    }
    return inner;
  }

  /** The buffers a frame held by reference is made of. */
  private static List<ByteBuf> parts(ByteBuf frame) {
    CompositeByteBuf composite = (CompositeByteBuf) underlying(frame);
    List<ByteBuf> parts = new ArrayList<>();
    for (int i = 0; i < composite.numComponents(); i++) {
      parts.add(composite.internalComponent(i));
    }
    return parts;
  }

  private static byte[] frame(byte[] body) {
    byte[] frame = new byte[4 + body.length];
    frame[0] = (byte) (body.length >>> 24);
    frame[1] = (byte) (body.length >>> 16);
    frame[2] = (byte) (body.length >>> 8);
    frame[3] = (byte) body.length;
    System.arraycopy(body, 0, frame, 4, body.length);
    return frame;
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
