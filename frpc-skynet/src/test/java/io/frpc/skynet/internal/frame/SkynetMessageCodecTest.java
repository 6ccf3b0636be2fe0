package io.frpc.skynet.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * skynet_fly's frpc frames (lua-frpcpack.c) through the encoder and the decoder. The expected bytes are written by
 * hand from lpackrequest, lpackresponse and lpackpubmessage: a 2-byte big-endian length, then little-endian
 * integers.
 */
class SkynetMessageCodecTest {

  private static final byte[] PACKED_ONE = {0x0a, 0x01};

  @Test
  void aWholeRequestIsFlagPackIdNamesSessionModKeyPayload() {
    SkynetRequest request = new SkynetRequest(201, "m", "", 1, 7, true, PACKED_ONE);
    // flag 0x31 = whole | needs a response | carries a mod key
    assertThat(hex(request)).isEqualTo("0013" + "31" + "c9" + "01" + "00" + "6d" + "01000000"
        + "0700000000000000" + "0a01");
    assertThat(roundTrip(Direction.REQUESTS, request)).containsExactly(request);
  }

  @Test
  void aRequestWithoutModKeyOrResponseHasNeitherFlag() {
    SkynetRequest request = new SkynetRequest(100, "svc", "inst", 0x01020304L, 0, false, PACKED_ONE);
    assertThat(hex(request)).isEqualTo("0011" + "01" + "64" + "03" + "04" + "737663" + "696e7374" + "04030201"
        + "0a01");
    assertThat(roundTrip(Direction.REQUESTS, request)).containsExactly(request);
  }

  @Test
  void aResponseIsSessionThenOkThenPayload() {
    assertThat(hex(new SkynetResponse(5, true, PACKED_ONE))).isEqualTo("0007" + "05000000" + "01" + "0a01");
    assertThat(hex(new SkynetResponse(5, false, "err".getBytes()))).isEqualTo("0008" + "05000000" + "00"
        + "657272");
    SkynetResponse max = new SkynetResponse(0xFFFFFFFFL, true, PACKED_ONE);
    assertThat(roundTrip(Direction.RESPONSES, max)).containsExactly(max);
  }

  @Test
  void aWholePushIsFlagPackIdSessionChannelPayload() {
    SkynetPush push = new SkynetPush(10, 3, "c", PACKED_ONE);
    assertThat(hex(push)).isEqualTo("000a" + "01" + "0a" + "03000000" + "01" + "63" + "0a01");
    assertThat(roundTrip(Direction.PUSHES, push)).containsExactly(push);
  }

  @Test
  void a32KiBPayloadIsStillWhole() {
    SkynetRequest request = new SkynetRequest(200, "m", "", 9, 0, true, payload(0x8000));
    assertThat(frames(request)).hasSize(1);
    assertThat(roundTrip(Direction.REQUESTS, request)).containsExactly(request);
  }

  @Test
  void aLargerRequestIsAHeadWithTheTotalThenPartsOf32KiB() {
    SkynetRequest request = new SkynetRequest(201, "m", "i", 9, 3, true, payload(100_000));
    List<byte[]> frames = frames(request);
    assertThat(frames).hasSize(5);
    // head: flag 0x32 = head | response | mod, ..., session 9, mod key 3, total 100000 (0x0186a0)
    assertThat(HexFormat.of().formatHex(frames.get(0))).isEqualTo("0016" + "32" + "c9" + "01" + "01" + "6d" + "69"
        + "09000000" + "0300000000000000" + "a0860100");
    assertThat(HexFormat.of().formatHex(frames.get(1), 0, 7)).isEqualTo("8005" + "04" + "09000000");
    assertThat(HexFormat.of().formatHex(frames.get(3), 0, 7)).isEqualTo("8005" + "04" + "09000000");
    // 100000 - 3 * 32768 = 1696 bytes in the last part
    assertThat(HexFormat.of().formatHex(frames.get(4), 0, 7)).isEqualTo("06a5" + "08" + "09000000");
    assertThat(roundTrip(Direction.REQUESTS, request)).containsExactly(request);
  }

  @Test
  void aLargerResponseIsAHeadOfNineBytesThenParts() {
    SkynetResponse response = new SkynetResponse(4, true, payload(0x8001));
    List<byte[]> frames = frames(response);
    assertThat(frames).hasSize(3);
    assertThat(HexFormat.of().formatHex(frames.get(0))).isEqualTo("0009" + "04000000" + "02" + "01800000");
    assertThat(HexFormat.of().formatHex(frames.get(1), 0, 7)).isEqualTo("8005" + "04000000" + "04");
    assertThat(HexFormat.of().formatHex(frames.get(2))).isEqualTo("0006" + "04000000" + "08"
        + HexFormat.of().formatHex(response.payload(), 0x8000, 0x8001));
    assertThat(roundTrip(Direction.RESPONSES, response)).containsExactly(response);
  }

  @Test
  void aFailedResponsesTextIsCutTo32KiBAsSkynetFlyCutsIt() {
    SkynetResponse failure = new SkynetResponse(4, false, payload(40_000));
    List<byte[]> frames = frames(failure);
    assertThat(frames).hasSize(1);
    assertThat(roundTrip(Direction.RESPONSES, failure)).singleElement()
        .satisfies(back -> assertThat(((SkynetResponse) back).payload()).hasSize(0x8000));
  }

  @Test
  void aLargerPushIsAHeadWithChannelThenPartsWithoutSession() {
    SkynetPush push = new SkynetPush(13, 77, "room:1", payload(70_000));
    List<byte[]> frames = frames(push);
    assertThat(frames).hasSize(4);
    assertThat(HexFormat.of().formatHex(frames.get(0))).isEqualTo("0011" + "02" + "70110100" + "0d" + "4d000000"
        + "06" + "726f6f6d3a31");
    assertThat(HexFormat.of().formatHex(frames.get(1), 0, 3)).isEqualTo("8001" + "04");
    assertThat(HexFormat.of().formatHex(frames.get(3), 0, 3)).isEqualTo("1171" + "08");
    assertThat(roundTrip(Direction.PUSHES, push)).containsExactly(push);
  }

  @Test
  void framesCutAtAnyByteAreReassembled() {
    SkynetRequest large = new SkynetRequest(201, "m", "i", 9, 3, true, payload(70_000));
    SkynetRequest small = new SkynetRequest(100, "m", "", 10, 0, false, PACKED_ONE);
    byte[] stream = concat(bytes(large), bytes(small), bytes(large));
    Random random = new Random(7);
    EmbeddedChannel channel = decoding(Direction.REQUESTS);
    for (int offset = 0; offset < stream.length; ) {
      int size = Math.min(stream.length - offset, offset < 64 ? 1 : 1 + random.nextInt(5000));
      channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, size));
      offset += size;
    }
    assertThat(inbound(channel)).containsExactly(large, small, large);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void wholeRequestsMayArriveBetweenThePartsOfAnother() {
    SkynetRequest large = new SkynetRequest(201, "m", "", 9, 0, true, payload(70_000));
    SkynetRequest otherLarge = new SkynetRequest(201, "m", "", 11, 0, true, payload(40_000));
    SkynetRequest small = new SkynetRequest(100, "m", "", 10, 0, false, PACKED_ONE);
    List<byte[]> a = frames(large);
    List<byte[]> b = frames(otherLarge);
    byte[] stream = concat(a.get(0), a.get(1), b.get(0), bytes(small), b.get(1), a.get(2), b.get(2), a.get(3));
    EmbeddedChannel channel = decoding(Direction.REQUESTS);
    channel.writeInbound(Unpooled.wrappedBuffer(stream));
    assertThat(inbound(channel)).containsExactly(small, otherLarge, large);
  }

  @Test
  void aHeadAnnouncingMoreThanTheLimitIsRefusedBeforeAnyPart() {
    SkynetResponse response = new SkynetResponse(4, true, payload(50_000));
    EmbeddedChannel channel = decoding(Direction.RESPONSES, 40_000, 8);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frames(response).get(0))))
        .isInstanceOf(SkynetFrameException.class).hasMessageContaining("exceeds the limit of 40000");
    assertThat(decoder(channel).bufferedBytes()).isZero();
  }

  @Test
  void partsBeyondTheAnnouncedTotalAreRefused() {
    // a head announcing 10 bytes, then a part of 32 KiB
    byte[] head = HexFormat.of().parseHex("0009" + "04000000" + "02" + "0a000000");
    byte[] part = frames(new SkynetResponse(4, true, payload(0x8001))).get(1);
    EmbeddedChannel channel = decoding(Direction.RESPONSES);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(concat(head, part))))
        .isInstanceOf(SkynetFrameException.class).hasMessageContaining("exceed the 10 bytes");
  }

  @Test
  void aLastPartBeforeTheTotalIsRefused() {
    byte[] head = HexFormat.of().parseHex("0009" + "04000000" + "02" + "0a000000");
    byte[] last = HexFormat.of().parseHex("0008" + "04000000" + "08" + "010203");
    EmbeddedChannel channel = decoding(Direction.RESPONSES);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(concat(head, last))))
        .isInstanceOf(SkynetFrameException.class).hasMessageContaining("end after 3 of the 10 bytes");
  }

  @Test
  void tooManyMessagesInPartsAtOnceAreRefused() {
    EmbeddedChannel channel = decoding(Direction.REQUESTS, 1 << 20, 2);
    channel.writeInbound(Unpooled.wrappedBuffer(frames(new SkynetRequest(1, "m", "", 1, 0, true,
        payload(40_000))).get(0)));
    channel.writeInbound(Unpooled.wrappedBuffer(frames(new SkynetRequest(1, "m", "", 2, 0, true,
        payload(40_000))).get(0)));
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(frames(new SkynetRequest(1, "m", "", 3, 0,
        true, payload(40_000))).get(0))))
        .isInstanceOf(SkynetFrameException.class).hasMessageContaining("more than 2 messages in parts");
  }

  @Test
  void aPartWithoutHeadIsRefused() {
    assertThatThrownBy(() -> decoding(Direction.REQUESTS).writeInbound(Unpooled.wrappedBuffer(
        HexFormat.of().parseHex("0006" + "08" + "01000000" + "aa"))))
        .isInstanceOf(SkynetFrameException.class).hasMessageContaining("has no head");
    assertThatThrownBy(() -> decoding(Direction.PUSHES).writeInbound(Unpooled.wrappedBuffer(
        HexFormat.of().parseHex("0002" + "04" + "aa"))))
        .isInstanceOf(SkynetFrameException.class).hasMessageContaining("no head");
  }

  @Test
  void afterAFailureTheDecoderDropsWhatFollowsInsteadOfFailingAgain() {
    byte[] broken = HexFormat.of().parseHex("0005" + "01000000" + "07");
    byte[] fine = bytes(new SkynetResponse(2, true, PACKED_ONE));
    EmbeddedChannel channel = decoding(Direction.RESPONSES);
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(concat(broken, fine, broken))))
        .isInstanceOf(SkynetFrameException.class);
    channel.writeInbound(Unpooled.wrappedBuffer(fine));
    channel.checkException();
    assertThat(inbound(channel)).isEmpty();
  }

  @Test
  void aLastResponsePartWithoutHeadIsAWholeResponseAsForSkynetsClient() {
    EmbeddedChannel channel = decoding(Direction.RESPONSES);
    channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0007" + "05000000" + "08" + "0a01")));
    assertThat(inbound(channel)).containsExactly(new SkynetResponse(5, true, PACKED_ONE));
  }

  @Test
  void malformedFramesAreRefusedWithOneExceptionType() {
    for (String frame : List.of("0000", "000103", "0001" + "01", "0003" + "010000", "0008" + "01010500" + "00000000",
        "000d" + "02" + "64" + "00" + "00" + "01000000" + "00000000" + "ff", "0004" + "04000000")) {
      assertThatThrownBy(() -> decoding(Direction.REQUESTS).writeInbound(Unpooled.wrappedBuffer(
          HexFormat.of().parseHex(frame))), frame).isInstanceOf(SkynetFrameException.class);
    }
    for (String frame : List.of("0000", "0004" + "01000000", "0005" + "01000000" + "03",
        "000a" + "01000000" + "02" + "0000000000")) {
      assertThatThrownBy(() -> decoding(Direction.RESPONSES).writeInbound(Unpooled.wrappedBuffer(
          HexFormat.of().parseHex(frame))), frame).isInstanceOf(SkynetFrameException.class);
    }
    for (String frame : List.of("0000", "0001" + "03", "0006" + "01" + "0a" + "01000000", "0008" + "01" + "0a"
        + "01000000" + "05" + "61", "000a" + "02" + "00000000" + "0a" + "01000000")) {
      assertThatThrownBy(() -> decoding(Direction.PUSHES).writeInbound(Unpooled.wrappedBuffer(
          HexFormat.of().parseHex(frame))), frame).isInstanceOf(SkynetFrameException.class);
    }
  }

  @Test
  void namesOver255BytesAreRefusedWhenSent() {
    String name255 = "n".repeat(255);
    SkynetRequest longest = new SkynetRequest(1, name255, name255, 1, 0, true, PACKED_ONE);
    assertThat(roundTrip(Direction.REQUESTS, longest)).containsExactly(longest);
    EmbeddedChannel channel = new EmbeddedChannel(new SkynetMessageEncoder());
    assertThatThrownBy(() -> channel.writeOutbound(new SkynetRequest(1, "é".repeat(128), "", 1, 0, true,
        PACKED_ONE))).isInstanceOf(EncoderException.class).hasRootCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("module name is 256 bytes of UTF-8");
    assertThatThrownBy(() -> channel.writeOutbound(new SkynetPush(10, 1, "c".repeat(256), PACKED_ONE)))
        .hasMessageContaining("channel name is 256 bytes");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void whatSkynetFlyRefusesToPackIsRefused() {
    assertThatThrownBy(() -> bytes(new SkynetRequest(1, "m", "", 0, 0, true, PACKED_ONE)))
        .hasMessageContaining("session 0 outside 1..2^32-1");
    assertThatThrownBy(() -> bytes(new SkynetRequest(1, "m", "", 1L << 32, 0, true, PACKED_ONE)))
        .hasMessageContaining("outside 1..2^32-1");
    assertThatThrownBy(() -> bytes(new SkynetRequest(1, "m", "", 1, -1, true, PACKED_ONE)))
        .hasMessageContaining("mod key -1 is negative");
    assertThatThrownBy(() -> bytes(new SkynetRequest(256, "m", "", 1, 0, true, PACKED_ONE)))
        .hasMessageContaining("pack id 256");
    assertThatThrownBy(() -> bytes(new SkynetPush(10, 0, "c", PACKED_ONE))).hasMessageContaining("session 0");
  }

  @Test
  void theLengthPrefixDecoderIsNettysAndPassesTheLargestFrame() {
    SkynetPush push = new SkynetPush(10, 1, "c".repeat(255), payload(0x8000));
    assertThat(roundTrip(Direction.PUSHES, push)).containsExactly(push);
    byte[] largest = new byte[2 + 0xFFFF];
    largest[0] = (byte) 0xFF;
    largest[1] = (byte) 0xFF;
    largest[2] = 0x01;
    EmbeddedChannel channel = decoding(Direction.RESPONSES);
    channel.writeInbound(Unpooled.wrappedBuffer(largest));
    assertThat(inbound(channel)).singleElement().satisfies(response ->
        assertThat(((SkynetResponse) response).payload()).hasSize(0xFFFF - 5));
  }

  @Test
  void decodingFailuresReachThePipelineAsDecoderExceptions() {
    assertThat(new SkynetFrameException("x")).isInstanceOf(DecoderException.class);
  }

  private static List<SkynetMessage> roundTrip(Direction direction, SkynetMessage message) {
    EmbeddedChannel channel = decoding(direction);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes(message)));
    List<SkynetMessage> messages = inbound(channel);
    assertThat(channel.finish()).isFalse();
    return messages;
  }

  static EmbeddedChannel decoding(Direction direction) {
    return decoding(direction, SkynetMessageDecoder.DEFAULT_MAX_MESSAGE_SIZE,
        SkynetMessageDecoder.DEFAULT_MAX_PARTIAL_MESSAGES);
  }

  static EmbeddedChannel decoding(Direction direction, int maxMessageSize, int maxPartial) {
    return new EmbeddedChannel(SkynetMessageDecoder.lengthPrefixDecoder(),
        new SkynetMessageDecoder(direction, maxMessageSize, maxPartial));
  }

  private static SkynetMessageDecoder decoder(EmbeddedChannel channel) {
    return channel.pipeline().get(SkynetMessageDecoder.class);
  }

  static List<SkynetMessage> inbound(EmbeddedChannel channel) {
    List<SkynetMessage> messages = new ArrayList<>();
    for (Object message; (message = channel.readInbound()) != null; ) {
      messages.add((SkynetMessage) message);
    }
    return messages;
  }

  /** The bytes the encoder writes for {@code message}, through a channel as in use. */
  static byte[] bytes(SkynetMessage message) {
    EmbeddedChannel channel = new EmbeddedChannel(new SkynetMessageEncoder());
    try {
      channel.writeOutbound(message);
    } catch (EncoderException e) {
      throw (RuntimeException) e.getCause();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf buffer; (buffer = channel.readOutbound()) != null; ) {
      out.writeBytes(ByteBufUtil.getBytes(buffer));
      buffer.release();
    }
    channel.finish();
    return out.toByteArray();
  }

  /** The frames of {@code message}, each with its length prefix. */
  static List<byte[]> frames(SkynetMessage message) {
    ByteBuffer stream = ByteBuffer.wrap(bytes(message)).order(ByteOrder.BIG_ENDIAN);
    List<byte[]> frames = new ArrayList<>();
    while (stream.hasRemaining()) {
      byte[] frame = new byte[2 + (stream.getShort(stream.position()) & 0xFFFF)];
      stream.get(frame);
      frames.add(frame);
    }
    return frames;
  }

  private static String hex(SkynetMessage message) {
    return HexFormat.of().formatHex(bytes(message));
  }

  static byte[] payload(int size) {
    byte[] payload = new byte[size];
    new Random(size).nextBytes(payload);
    return payload;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
