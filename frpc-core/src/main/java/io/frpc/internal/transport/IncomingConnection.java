package io.frpc.internal.transport;

import io.frpc.NodeId;
import io.frpc.internal.protocol.Cancel;
import io.frpc.internal.protocol.FragmentingWriter;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.Frames;
import io.frpc.internal.protocol.InboundRequest;
import io.frpc.internal.protocol.ProtocolException;
import io.frpc.internal.protocol.PubSubFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * An admitted incoming connection: hands requests to the dispatcher and writes their replies, and keeps
 * the peer's subscriptions to this node's channels.
 */
final class IncomingConnection extends ChannelInboundHandlerAdapter implements ServedConnection {


  private final NodeId peer;
  private final String peerText;
  private final Channel channel;
  private final int maxMessageSize;
  private final InboundRequestHandler dispatcher;
  /** The peer's subscriptions, or null when it did not announce pub/sub in its handshake. */
  private final ServedChannels.Session subscriptions;
  /** Whether the peer understands GOING_AWAY. */
  private final boolean drains;
  /** Whether the peer may send a trace context with its requests. */
  private final boolean traces;
  /** Whether the peer may cancel its requests. */
  private final boolean cancels;
  /** The peer's requests still being served, by request id: told when the peer cancels or goes. */
  private final Map<Integer, Runnable> served = new ConcurrentHashMap<>();
  private volatile boolean inactive;
  private final FragmentingWriter writer;
  private final ConnectionWrites writes;
  private final ConnectionErrors errors;

  /**
   * @param features the features both sides announced in the handshake
   */
  IncomingConnection(NodeId peer, Channel channel, int maxMessageSize, InboundRequestHandler dispatcher,
      ServedChannels channels, Set<String> features, ConnectionErrors errors) {
    this.peer = peer;
    this.peerText = peer.toString();
    this.errors = errors;
    this.channel = channel;
    this.maxMessageSize = maxMessageSize;
    this.dispatcher = dispatcher;
    this.subscriptions = features.contains(FrameType.FEATURE_PUBSUB) ? channels.open(this) : null;
    this.drains = features.contains(FrameType.FEATURE_DRAIN);
    this.traces = features.contains(FrameType.FEATURE_TRACE);
    this.cancels = features.contains(FrameType.FEATURE_CANCEL);
    this.writer = channel.pipeline().get(FragmentingWriter.class);
    this.writes = new ConnectionWrites(channel);
  }

  /**
   * Announces this node's graceful shutdown to the peer, which then closes the connection once its
   * pending calls are done.
   *
   * @return the write of the announcement, or null when the peer does not understand it
   */
  ChannelFuture goingAway() {
    return drains ? channel.writeAndFlush(Frames.goingAway(channel.alloc())) : null;
  }

  /** Whether the peer closes the connection itself once told of a shutdown. */
  boolean drains() {
    return drains;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof InboundRequest request) {
      if (request.envelope().traceContext() != null && !traces) {
        request.release();
        throw new ProtocolException("REQUEST with a trace context (flag bit 3) without the trace feature");
      }
      dispatcher.dispatch(request, this);
    } else if (msg instanceof Cancel cancel) {
      if (!cancels) {
        throw new ProtocolException("CANCEL without the cancel feature");
      }
      Runnable onCancel = served.remove(cancel.requestId());
      if (onCancel != null) {
        onCancel.run();
      }
    } else if (msg instanceof PubSubFrames.Subscribe subscribe && subscriptions != null) {
      subscriptions.subscribe(subscribe);
    } else if (msg instanceof PubSubFrames.Unsubscribe unsubscribe && subscriptions != null) {
      subscriptions.unsubscribe(unsubscribe.subscriptionId());
    } else {
      ReferenceCountUtil.release(msg);
      throw new ProtocolException("unexpected " + msg.getClass().getSimpleName() + " on a server connection");
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (subscriptions != null && channel.isWritable()) {
      subscriptions.writable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    inactive = true;
    // nobody waits for these replies any more
    for (Integer id : served.keySet()) {
      Runnable onCancel = served.remove(id);
      if (onCancel != null) {
        onCancel.run();
      }
    }
    if (subscriptions != null) {
      subscriptions.closed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void track(int requestId, Runnable onCancel) {
    served.put(requestId, onCancel);
    if (inactive && served.remove(requestId, onCancel)) {
      onCancel.run();
    }
  }

  @Override
  public void untrack(int requestId, Runnable onCancel) {
    served.remove(requestId, onCancel);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    errors.logClosing(peer + " (" + channel.remoteAddress() + ")", cause);
    ctx.close();
  }

  @Override
  public NodeId peer() {
    return peer;
  }

  @Override
  public String peerText() {
    return peerText;
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
    writes.writeAndFlush(frame, null);
  }

  @Override
  public long queuedBytes() {
    return writer.queued(channel) + writes.queuedBytes();
  }

  @Override
  public void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  @Override
  public Executor ioThread() {
    return channel.eventLoop();
  }
}
