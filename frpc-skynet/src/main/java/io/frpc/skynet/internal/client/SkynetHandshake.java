package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import io.netty.channel.ChannelPipeline;
import io.frpc.skynet.internal.handshake.SkynetClientHandshake;
import io.frpc.skynet.internal.handshake.SkynetHandshakeCompleted;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import java.security.SecureRandom;
import java.time.Duration;
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
   * skynet_fly's handshake ({@link SkynetClientHandshake}): the challenge and the DES-encrypted identity when the
   * node has a secret key or encryption, the identity in clear otherwise; the payload cipher after it when the node
   * encrypts.
   *
   * @param timeout how long the whole handshake may take
   */
  static SkynetHandshake skynetFly(Duration timeout) {
    SecureRandom random = new SecureRandom();
    return new SkynetHandshake() {
      @Override
      public void install(ChannelPipeline pipeline, NodeId self, RemoteNodeSettings node, LongSupplier sessions) {
        pipeline.addLast("handshake", new SkynetClientHandshake(self.name(), self.id(),
            new SkynetSecurity(node.secretKey(), node.encrypt()), false, sessions, random, timeout));
      }

      @Override
      public boolean isCompletion(Object userEvent) {
        return userEvent instanceof SkynetHandshakeCompleted;
      }
    };
  }
}
