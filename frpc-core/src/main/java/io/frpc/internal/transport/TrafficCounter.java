package io.frpc.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a connection receives and sends, as they cross the socket (TLS records included), for
 * the connection and for the node's totals. Only the connection's I/O thread writes the connection's
 * counts; any thread may read them.
 */
final class TrafficCounter extends ChannelDuplexHandler {

  private final Traffic total;
  private volatile long bytesIn;
  private volatile long bytesOut;

  TrafficCounter(Traffic total) {
    this.total = total;
  }

  long bytesIn() {
    return bytesIn;
  }

  long bytesOut() {
    return bytesOut;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      bytesIn += bytes.readableBytes();
      total.received(bytes.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf bytes) {
      bytesOut += bytes.readableBytes();
      total.sent(bytes.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
