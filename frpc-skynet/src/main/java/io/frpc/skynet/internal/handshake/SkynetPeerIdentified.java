package io.frpc.skynet.internal.handshake;

import java.util.Arrays;

/**
 * The user event {@link SkynetServerHandshake} fires when a client completed the handshake: who it is, and whether
 * this is its watch connection (subscriptions and pushes) or its RPC connection.
 *
 * <p>When {@code encryptPayloads} is true, the handshake has already put the payload cipher in its place in the
 * pipeline: requests arrive decrypted (a call whose payload does not decrypt is answered with skynet_fly's error
 * {@code "desdecode err cluster_name = <svrName>:<svrId>"} there and goes no further), ok responses and pushes
 * written from now on are encrypted.
 *
 * @param svrName the client node's {@code svr_name}
 * @param svrId the client node's {@code svr_id}
 * @param watch whether the client marked this as its watch connection ({@code is_watch})
 * @param desKey the 8-byte key both sides derived (a copy), or {@code null} when the handshake had no challenge
 * @param encryptPayloads whether payloads are DES-encrypted from now on
 */
public record SkynetPeerIdentified(String svrName, long svrId, boolean watch, byte[] desKey,
    boolean encryptPayloads) {

  /** Copies the key. */
  public SkynetPeerIdentified {
    desKey = desKey == null ? null : desKey.clone();
  }

  /** A copy of the key, or {@code null}. */
  @Override
  public byte[] desKey() {
    return desKey == null ? null : desKey.clone();
  }

  /** skynet_fly's name of the peer: {@code svr_name:svr_id}. */
  public String clusterName() {
    return svrName + ":" + svrId;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SkynetPeerIdentified that && svrName.equals(that.svrName) && svrId == that.svrId && watch == that.watch
        && encryptPayloads == that.encryptPayloads && Arrays.equals(desKey, that.desKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(desKey) * 31 + Boolean.hashCode(encryptPayloads);
  }

  /** Says whether there is a key, never the key. */
  @Override
  public String toString() {
    return "SkynetPeerIdentified[" + clusterName() + ", watch=" + watch + ", desKey="
        + (desKey == null ? "none" : "(set)") + ", encryptPayloads=" + encryptPayloads + "]";
  }
}
