package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.frpc.internal.module.ReplyTarget;
import io.frpc.internal.module.RequestDispatcher;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An admitted incoming connection: hands requests to the dispatcher and writes their replies. */
final class ServerConnection extends ChannelInboundHandlerAdapter implements ReplyTarget {

  private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);

  private final NodeId peer;
  private final Channel channel;
  private final int maxMessageSize;
  private final RequestDispatcher dispatcher;

  ServerConnection(NodeId peer, Channel channel, int maxMessageSize, RequestDispatcher dispatcher) {
    this.peer = peer;
    this.channel = channel;
    this.maxMessageSize = maxMessageSize;
    this.dispatcher = dispatcher;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof InboundRequest request) {
      dispatcher.dispatch(request, this);
    } else {
      ReferenceCountUtil.release(msg);
      throw new ProtocolException("unexpected " + msg.getClass().getSimpleName() + " on a server connection");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ConnectionErrors.logClosing(log, peer + " (" + channel.remoteAddress() + ")", cause);
    ctx.close();
  }

  @Override
  public NodeId peer() {
    return peer;
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public int maxMessageSize() {
    return maxMessageSize;
  }

  @Override
  public void write(ByteBuf frame) {
    channel.writeAndFlush(frame, channel.voidPromise());
  }
}
