package io.frpc.skynet.internal.handshake;

import io.frpc.skynet.internal.frame.SkynetMessage;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder;
import io.frpc.skynet.internal.frame.SkynetMessageDecoder.Direction;
import io.frpc.skynet.internal.frame.SkynetMessageEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Embedded connections with the frame codec of one side, a handshake handler and a {@link Recorder} at the end, on
 * the channel's frozen clock; and what goes in and out of them as wire bytes.
 */
final class HandshakeChannels {

  static final String DECODER = "skynet-decoder";

  private HandshakeChannels() {
  }

  /** A client's connection: reads responses, writes requests. */
  static EmbeddedChannel client(ChannelHandler handshake, Recorder recorder) {
    return channel(Direction.RESPONSES, handshake, recorder);
  }

  /** A server's connection: reads requests, writes responses and pushes. */
  static EmbeddedChannel server(ChannelHandler handshake, Recorder recorder) {
    return channel(Direction.REQUESTS, handshake, recorder);
  }

  private static EmbeddedChannel channel(Direction direction, ChannelHandler handshake, Recorder recorder) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.freezeTime();
    channel.pipeline().addLast("skynet-frames", SkynetMessageDecoder.lengthPrefixDecoder())
        .addLast(DECODER, new SkynetMessageDecoder(direction))
        .addLast("skynet-encoder", new SkynetMessageEncoder())
        .addLast("handshake", handshake)
        .addLast("recorder", recorder);
    return channel;
  }

  /** On a client's watch connection after its handshake: pushes come instead of responses. */
  static void expectPushes(EmbeddedChannel channel) {
    channel.pipeline().replace(DECODER, DECODER, new SkynetMessageDecoder(Direction.PUSHES));
  }

  /** Everything the channel wrote so far, joined, or an empty array. */
  static byte[] written(EmbeddedChannel channel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.writeBytes(ByteBufUtil.getBytes(buf));
      buf.release();
    }
    return out.toByteArray();
  }

  /** The wire bytes of a message. */
  static byte[] frame(SkynetMessage message) {
    ByteBuf buf = Unpooled.buffer();
    SkynetMessageEncoder.write(message, buf);
    byte[] bytes = ByteBufUtil.getBytes(buf);
    buf.release();
    return bytes;
  }

  /** Moves bytes both ways between a client and a server until neither has more to say. */
  static void shuttle(EmbeddedChannel client, EmbeddedChannel server) {
    while (true) {
      byte[] toServer = written(client);
      if (toServer.length > 0 && server.isOpen()) {
        arrive(server, toServer);
      }
      byte[] toClient = written(server);
      if (toClient.length > 0 && client.isOpen()) {
        arrive(client, toClient);
      }
      if (toServer.length > 0 || toClient.length > 0) {
        continue;
      }
      // a side closes its end only once what it wrote before has arrived
      if (!server.isOpen() && client.isOpen()) {
        client.close();
      } else if (!client.isOpen() && server.isOpen()) {
        server.close();
      } else {
        return;
      }
    }
  }

  /** Bytes arriving from the peer. */
  static void arrive(EmbeddedChannel channel, byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  static void advance(EmbeddedChannel channel, Duration time) {
    channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  /** Sessions 1, 2, 3, ... */
  static LongSupplier counter() {
    long[] next = {0};
    return () -> ++next[0];
  }

  /** These sessions in order, then a failure. */
  static LongSupplier sessions(long... values) {
    int[] next = {0};
    return () -> values[next[0]++];
  }

  /** A generator whose longs are these values in order, then a failure (a test says exactly what is drawn). */
  static RandomGenerator longs(long... values) {
    int[] next = {0};
    return () -> values[next[0]++];
  }

  /** The long whose little-endian bytes these 8 are. */
  static long littleEndian(byte[] key) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = value << 8 | (key[i] & 0xFF);
    }
    return value;
  }

  /** What reaches the end of the pipeline: messages, user events, exceptions. */
  static final class Recorder extends ChannelInboundHandlerAdapter {

    final List<Object> messages = new ArrayList<>();
    final List<Object> events = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      messages.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
    }
  }
}
