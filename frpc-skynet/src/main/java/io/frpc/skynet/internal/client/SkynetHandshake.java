package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import io.netty.channel.ChannelPipeline;
import java.util.function.LongSupplier;

/**
 * The pipeline slot of a connection's handshake (skynet_fly's {@code hand_shake}, pack id 1). {@link #install}
 * adds the handlers that run it after the frame codec (and, for an encrypting node, whatever handler encrypts the
 * payloads afterwards). They send their requests with sessions of the client's counter, fire a user event for which
 * {@link #isCompletion} is true once the server accepted the node, and remove themselves; on a failure they close
 * the channel. Nothing else is written on the channel before that event.
 */
public interface SkynetHandshake {

  /**
   * Adds the handshake's handlers at the end of {@code pipeline}, which ends with the frame codec.
   *
   * @param self this node's identity, sent to the server
   * @param node the node connected to, with its secret and encryption settings
   * @param sessions the client's session counter
   */
  void install(ChannelPipeline pipeline, NodeId self, RemoteNodeSettings node, LongSupplier sessions);

  /** Whether a user event fired by the handlers says the handshake completed. */
  boolean isCompletion(Object userEvent);

  /**
   * The slot before skynet_fly's handshake is available here: every connection is closed at once, with an error
   * in the log that says so.
   */
  static SkynetHandshake unavailable() {
    return new SkynetHandshake() {
      @Override
      public void install(ChannelPipeline pipeline, NodeId self, RemoteNodeSettings node, LongSupplier sessions) {
        throw new UnsupportedOperationException("frpc-skynet has no skynet_fly handshake yet (issue 26): cannot"
            + " connect to " + node.id());
      }

      @Override
      public boolean isCompletion(Object userEvent) {
        return false;
      }
    };
  }
}
