package io.frpc.internal.transport;

import io.frpc.internal.protocol.FragmentingWriter;
import io.frpc.internal.protocol.FrameDecoder;
import io.frpc.internal.protocol.InboundBudget;
import io.frpc.internal.protocol.MessageDecoder;
import io.frpc.internal.protocol.PayloadCodec;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** The handler chain shared by both sides of a connection. */
final class Pipelines {

  static final String FRAMES = "frames";
  static final String MESSAGES = "messages";
  static final String HANDSHAKE = "handshake";
  static final String TRAFFIC = "traffic";

  private Pipelines() {
  }

  /** TLS (when {@code tls} is not null), framing, message decoding and fragmenting, then the side's handshake handler. */
  static void initialize(ChannelPipeline pipeline, SslHandler tls, TransportSettings settings,
      ConnectionLimits limits, InboundBudget budget, PayloadCodec codec, Traffic traffic, ChannelHandler handshake) {
    pipeline.addLast(TRAFFIC, new TrafficCounter(traffic));
    if (tls != null) {
      pipeline.addLast("tls", tls);
    }
    // Replies and calls are flushed from worker and caller threads one by one; under load this merges
    // their flushes into fewer writes, and flushes at once when the connection is quiet.
    pipeline.addLast("flushes", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    pipeline.addLast(FRAMES, new FrameDecoder());
    pipeline.addLast(MESSAGES, new MessageDecoder(codec, settings.maxMessageSize(), budget));
    pipeline.addLast("fragments", new FragmentingWriter(settings.fragmentSize(), limits.maxQueuedOutboundBytes(),
        settings.maxMessageSize()));
    pipeline.addLast(HANDSHAKE, handshake);
  }

  /**
   * Lifts the pre-handshake limits and replaces the handshake handler by back-pressure, heartbeats and
   * {@code next}.
   *
   * @param serving whether this is the accepting side, which stops reading while its peer does not read
   */
  static void handshakeCompleted(ChannelPipeline pipeline, TransportSettings settings, ConnectionLimits limits,
      boolean serving, LongConsumer pongs, String name, ChannelHandler next) {
    pipeline.get(FrameDecoder.class).handshakeCompleted();
    pipeline.get(MessageDecoder.class).handshakeCompleted();
    pipeline.replace(HANDSHAKE, "backpressure", new BackPressure(serving, limits.unwritableTimeout()));
    pipeline.addLast("idle", new IdleStateHandler(settings.heartbeatTimeout().toMillis(),
        settings.heartbeatInterval().toMillis(), 0, TimeUnit.MILLISECONDS));
    pipeline.addLast("heartbeat", new HeartbeatHandler(settings, pongs));
    pipeline.addLast(name, next);
  }
}
