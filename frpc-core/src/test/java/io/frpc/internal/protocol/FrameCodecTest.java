package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.frpc.FrpcBytes;
import io.frpc.time.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;

/** Frames written by {@link Frames} and {@link FragmentingWriter} read back through the decoders. */
class FrameCodecTest {

  private final PayloadCodec codec = new PayloadCodec();

  record Player(String name, int level, List<String> items) {
  }

  @Test
  void aRequestEnvelopeIsReadWhileItsArgumentsStayEncoded() {
    RequestEnvelope sent = new RequestEnvelope(0, true, InstanceSelection.MOD, -42, "test_m", "test_one", "ping", 1500);
    ByteBuf frame = Frames.request(Unpooled.buffer().alloc(), sent, codec,
        new Object[] {"hi", new Player("ann", 7, List.of("sword"))});
    frame.setInt(RequestEnvelope.REQUEST_ID_OFFSET, 99);

    InboundRequest received = decodeOne(frame);

    assertThat(received.envelope()).isEqualTo(new RequestEnvelope(99, true, InstanceSelection.MOD, -42, "test_m",
        "test_one", "ping", 1500));
    Object[] args = codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(String.class), codec.reader(Player.class)}, FrpcBytes::close);
    assertThat(args).containsExactly("hi", new Player("ann", 7, List.of("sword")));
  }

  @Test
  void aMessageLargerThanTheFragmentSizeIsSplitAndReassembledExactly() {
    byte[] blob = new byte[50_000];
    new Random(7).nextBytes(blob);
    ByteBuf frame = Frames.request(Unpooled.buffer().alloc(), new RequestEnvelope(5, false, InstanceSelection.BALANCE,
        0, "bulk", null, "store", 0), codec, new Object[] {blob});
    EmbeddedChannel writer = new EmbeddedChannel(new FragmentingWriter(4096, 64 << 20, 64 << 20));

    writer.writeAndFlush(frame);
    List<ByteBuf> wire = new ArrayList<>();
    for (ByteBuf out; (out = writer.readOutbound()) != null; ) {
      wire.add(out);
    }

    assertThat(wire.size()).as("one buffer per fragment").isGreaterThan(12);
    EmbeddedChannel reader = established();
    wire.forEach(reader::writeInbound);
    InboundRequest received = reader.readInbound();
    assertThat(reader.<Object>readInbound()).isNull();
    assertThat(received.envelope().module()).isEqualTo("bulk");
    Object[] args = codec.readArguments(received.arguments(),
        new ObjectReader[] {codec.reader(byte[].class)}, FrpcBytes::close);
    assertThat((byte[]) args[0]).isEqualTo(blob);
    assertThat(received.release()).as("the payload held the reassembled chunks").isTrue();
    reader.finishAndReleaseAll();
  }

  @Test
  void aFrameLengthAboveTheLimitFailsBeforeTheFrameIsBuffered() {
    EmbeddedChannel reader = new EmbeddedChannel(new FrameDecoder());

    assertThatThrownBy(() -> reader.writeInbound(Unpooled.buffer().writeInt(FrameDecoder.HANDSHAKE_FRAME_LIMIT + 1)))
        .isInstanceOf(DecoderException.class)
        .hasRootCauseInstanceOf(ProtocolException.class)
        .hasMessageContaining("outside the allowed 1.." + FrameDecoder.HANDSHAKE_FRAME_LIMIT);
    reader.finishAndReleaseAll();
  }

  @Test
  void broadcastRepliesCarryEveryInstancesStatusAndValue() {
    byte[] one = codec.writer(String.class).writeValueAsBytes("a");
    byte[] two = codec.writer(Map.class).writeValueAsBytes(Map.of("k", 1));
    ByteBuf frame = Frames.broadcast(Unpooled.buffer().alloc(), 3, List.of(
        new BroadcastItem(0, "red", ResponseStatus.OK, new Payload(one, 0, one.length)),
        new BroadcastItem(1, null, ResponseStatus.ERROR, new Payload(two, 0, two.length))));

    InboundResponse response = decodeOne(frame);

    assertThat(response.requestId()).isEqualTo(3);
    assertThat(response.status()).isEqualTo(ResponseStatus.BROADCAST);
    List<BroadcastItem> items = Frames.readBroadcast(response.body());
    assertThat(items).extracting(BroadcastItem::index, BroadcastItem::instanceName, BroadcastItem::status)
        .containsExactly(tuple(0, "red", ResponseStatus.OK),
            tuple(1, null, ResponseStatus.ERROR));
    assertThat((String) codec.readValue(items.get(0).body(), codec.reader(String.class))).isEqualTo("a");
  }

  private EmbeddedChannel established() {
    FrameDecoder frames = new FrameDecoder();
    MessageDecoder messages = new MessageDecoder(codec, 1 << 20, new InboundBudget(64 << 20), Duration.ofSeconds(10),
        new ManualClock());
    frames.handshakeCompleted();
    messages.handshakeCompleted(false);
    return new EmbeddedChannel(frames, messages);
  }

  private <T> T decodeOne(ByteBuf frame) {
    EmbeddedChannel reader = established();
    reader.writeInbound(frame);
    T message = reader.readInbound();
    reader.finishAndReleaseAll();
    return message;
  }
}
