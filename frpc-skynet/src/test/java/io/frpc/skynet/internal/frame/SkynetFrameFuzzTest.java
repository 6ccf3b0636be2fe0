package io.frpc.skynet.internal.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.GoldenVectors;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated byte streams, cut at random, through the length-prefix decoder and the message decoder of each
 * direction, with a last handler that closes the connection on a failure: the one failure is a
 * {@link SkynetFrameException}, the parts held never exceed {@code maxPartialMessages *
 * maxMessageSize}, and no buffer leaks (the build runs Netty's leak detector at PARANOID, and NettyLeakExtension
 * fails the class on a leak). {@code -Dfrpc.fuzz.inputs=N} sets the number of inputs.
 */
class SkynetFrameFuzzTest {

  private static final int INPUTS = Integer.getInteger("frpc.fuzz.inputs", 50_000) / 5;
  private static final int MAX_MESSAGE_SIZE = 128 * 1024;
  private static final int MAX_PARTIAL = 3;

  @Test
  void onlyTheFrameExceptionEscapesAndPartsStayWithinTheLimits() {
    Map<Direction, byte[]> seeds = seeds();
    Random random = new Random(20261202L);
    int messages = 0;
    int refused = 0;
    for (int input = 0; input < INPUTS; input++) {
      Direction direction = Direction.values()[random.nextInt(3)];
      byte[] seed = seeds.get(direction);
      byte[] bytes = random.nextInt(4) == 0 ? seed : mutate(seed, random);
      List<Throwable> failures = new ArrayList<>();
      EmbeddedChannel channel = new EmbeddedChannel(SkynetMessageDecoder.lengthPrefixDecoder(),
          new SkynetMessageDecoder(direction, MAX_MESSAGE_SIZE, MAX_PARTIAL), closingOnFailure(failures));
      SkynetMessageDecoder decoder = channel.pipeline().get(SkynetMessageDecoder.class);
      for (int offset = 0; offset < bytes.length && channel.isOpen(); ) {
        int chunk = 1 + random.nextInt(Math.min(8192, bytes.length - offset));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, chunk));
        offset += chunk;
        if (decoder != null && channel.isOpen()) {
          assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo((long) MAX_PARTIAL * MAX_MESSAGE_SIZE);
        }
      }
      channel.checkException();
      assertThat(failures).as("failures of a %s stream %s", direction, HexFormat.of().formatHex(bytes, 0,
          Math.min(bytes.length, 256))).hasSizeLessThanOrEqualTo(1)
          .allSatisfy(failure -> assertThat(failure).isInstanceOf(SkynetFrameException.class));
      refused += failures.size();
      for (Object message; (message = channel.readInbound()) != null; ) {
        assertThat(message).isInstanceOf(SkynetMessage.class);
        messages++;
      }
      channel.finishAndReleaseAll();
    }
    System.out.printf("fuzzed %,d frame streams: %,d messages, %,d refused%n", INPUTS, messages, refused);
    assertThat(messages).isPositive();
    assertThat(refused).isPositive();
  }

  /** Closes the connection on the first failure, as a connection's last handler would, and keeps the failure. */
  private static ChannelInboundHandlerAdapter closingOnFailure(List<Throwable> failures) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failures.add(cause);
        ctx.close();
      }
    };
  }

  /** Per direction, the captured frames of every message in a row (skynet-vectors/frames_*.hex). */
  private static Map<Direction, byte[]> seeds() {
    Map<Direction, byte[]> seeds = new EnumMap<>(Direction.class);
    seeds.put(Direction.REQUESTS, joined("frames_request.hex"));
    seeds.put(Direction.RESPONSES, joined("frames_response.hex"));
    seeds.put(Direction.PUSHES, joined("frames_pub.hex"));
    return seeds;
  }

  private static byte[] joined(String file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GoldenVectors.load(file).values().forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** A few changes, where frames of a stream of this size begin (headers) as often as anywhere. */
  private static byte[] mutate(byte[] seed, Random random) {
    if (random.nextInt(10) == 0) {
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      return noise;
    }
    byte[] bytes = seed.clone();
    List<Integer> headers = frameStarts(bytes);
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      int at = random.nextBoolean() ? headers.get(random.nextInt(headers.size())) + random.nextInt(16)
          : random.nextInt(bytes.length);
      at = Math.min(at, bytes.length - 1);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes[at] = (byte) random.nextInt(256);
        case 2 -> bytes = java.util.Arrays.copyOf(bytes, at + 1);
        default -> {
          bytes = bytes.clone();
          for (int i = at; i < Math.min(bytes.length, at + 4); i++) {
            bytes[i] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return bytes;
  }

  private static List<Integer> frameStarts(byte[] stream) {
    List<Integer> starts = new ArrayList<>();
    for (int at = 0; at + 2 <= stream.length; at += 2 + ((stream[at] & 0xFF) << 8 | stream[at + 1] & 0xFF)) {
      starts.add(at);
    }
    return starts;
  }
}
