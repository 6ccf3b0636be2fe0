package io.frpc.internal.transport;

import io.frpc.internal.protocol.FragmentingWriter;
import io.frpc.internal.protocol.FrameDecoder;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.protocol.InboundBudget;
import io.frpc.internal.protocol.MessageDecoder;
import io.frpc.internal.protocol.PayloadCodec;
import io.frpc.time.FrpcClock;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** The handler chain shared by both sides of a connection. */
final class Pipelines {

  static final String FRAMES = "frames";
  static final String MESSAGES = "messages";
  static final String HANDSHAKE = "handshake";
  static final String TRAFFIC = "traffic";
  /**
   * Writes merged into one flush during a read. Measured with 64 calls of 4 KiB in flight between two JVMs
   * (docs/benchmarks.md): 4 → 205 k calls/s, 8 → 229 k, 16 → 248 k, 32 → 229 k, Netty's default of 256 →
   * 127 k (both sides then work in turns on whole batches).
   */
  static final int FLUSH_AFTER = 16;

  private Pipelines() {
  }

  /**
   * TLS (when {@code tls} is not null), framing, message decoding and fragmenting, then the side's handshake handler.
   *
   * @param clock stamps requests as they arrive, for the caller's deadline
   */
  static void initialize(ChannelPipeline pipeline, SslHandler tls, TransportSettings settings,
      ConnectionLimits limits, InboundBudget budget, PayloadCodec codec, Traffic traffic, FrpcClock clock,
      ChannelHandler handshake) {
    pipeline.addLast(TRAFFIC, new TrafficCounter(traffic));
    if (tls != null) {
      pipeline.addLast("tls", tls);
    }
    // Replies and calls are flushed one by one; under load this merges their flushes into fewer writes, and
    // flushes at once when the connection is quiet. While a read is in progress (handlers and completions
    // running on this I/O thread) it flushes every FLUSH_AFTER writes rather than once at the end, so the
    // peer starts on the first replies while this side still works on the rest.
    pipeline.addLast("flushes", new FlushConsolidationHandler(FLUSH_AFTER, true));
    pipeline.addLast(FRAMES, new FrameDecoder());
    pipeline.addLast(MESSAGES, new MessageDecoder(codec, settings.maxMessageSize(), budget,
        settings.handshakeTimeout(), clock));
    pipeline.addLast("fragments", new FragmentingWriter(settings.fragmentSize(), limits.maxQueuedOutboundBytes(),
        settings.maxMessageSize()));
    pipeline.addLast(HANDSHAKE, handshake);
  }

  /**
   * Lifts the pre-handshake limits and replaces the handshake handler by back-pressure, heartbeats and
   * {@code next}; with {@code protection}, every frame read or written from now on is sealed.
   *
   * @param features   the features both sides agreed
   * @param serving    whether this is the accepting side, which stops reading while its peer does not read
   * @param protection the connection's frame protection after an authenticated handshake, else null
   */
  static void handshakeCompleted(ChannelPipeline pipeline, TransportSettings settings, ConnectionLimits limits,
      Set<String> features, boolean serving, FrameProtection protection, LongConsumer pongs, String name,
      ChannelHandler next) {
    if (protection != null) {
      pipeline.addAfter(FRAMES, FrameProtection.NAME, protection);
    }
    pipeline.get(FrameDecoder.class).handshakeCompleted();
    boolean window = features.contains(FrameType.FEATURE_WINDOW);
    pipeline.get(MessageDecoder.class).handshakeCompleted(window);
    if (window) {
      pipeline.get(FragmentingWriter.class).limitTo(settings.fragmentWindow(), limits.unwritableTimeout());
    }
    pipeline.remove(HANDSHAKE);
    // next to the head: it must see the connection turn writable before the fragment writer fills it again
    pipeline.addAfter(TRAFFIC, "backpressure", new UnwritableTimeoutHandler(serving, limits.unwritableTimeout()));
    // reader idle only: HeartbeatHandler finds write idleness without a listener on every write
    pipeline.addLast("idle", new IdleStateHandler(settings.heartbeatTimeout().toMillis(), 0, 0,
        TimeUnit.MILLISECONDS));
    pipeline.addLast("heartbeat", new HeartbeatHandler(settings, pongs));
    pipeline.addLast(name, next);
  }
}
