package io.frpc.skynet.internal.handshake;

import java.util.Arrays;

/**
 * The user event {@link SkynetClientHandshake} fires when the server accepted this node: the connection is ready
 * for requests (or, on a watch connection, for subscriptions).
 *
 * <p>When {@code encryptPayloads} is true, the handshake has already put the payload cipher in its place in the
 * pipeline: requests written from now on are encrypted and ok responses and pushes decrypted there; nothing else
 * is to be done with the key. On a watch connection, replace the response decoder by one of
 * {@code SkynetMessageDecoder.Direction.PUSHES} on this event, before sending a subscription.
 *
 * @param desKey the 8-byte key both sides derived (a copy), or {@code null} when the handshake had no challenge
 * @param encryptPayloads whether payloads are DES-encrypted from now on
 */
public record SkynetHandshakeCompleted(byte[] desKey, boolean encryptPayloads) {

  /** Copies the key. */
  public SkynetHandshakeCompleted {
    desKey = desKey == null ? null : desKey.clone();
  }

  /** A copy of the key, or {@code null}. */
  @Override
  public byte[] desKey() {
    return desKey == null ? null : desKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SkynetHandshakeCompleted that && encryptPayloads == that.encryptPayloads && Arrays.equals(desKey, that.desKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(desKey) * 31 + Boolean.hashCode(encryptPayloads);
  }

  /** Says whether there is a key, never the key. */
  @Override
  public String toString() {
    return "SkynetHandshakeCompleted[desKey=" + (desKey == null ? "none" : "(set)") + ", encryptPayloads="
        + encryptPayloads + "]";
  }
}
