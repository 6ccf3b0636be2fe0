package io.frpc.internal.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * One side's ephemeral X25519 key pair for one handshake (RFC 7748). Its public half travels in the
 * handshake as 32 little-endian bytes; {@link #agree} gives the shared secret both sides then derive their
 * frame keys from, so a recorded connection stays unreadable even to someone who learns the shared secret
 * later. Used once and dropped.
 */
public final class KeyShare {

  /** Bytes of a public key share on the wire. */
  public static final int BYTES = 32;

  private final KeyPair pair;

  private KeyShare(KeyPair pair) {
    this.pair = pair;
  }

  /** A fresh key pair. */
  public static KeyShare generate() {
    try {
      return new KeyShare(KeyPairGenerator.getInstance("X25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 is not available in this JVM", e);
    }
  }

  /** The public key as 32 little-endian bytes of its u-coordinate. */
  public byte[] publicBytes() {
    byte[] bigEndian = ((XECPublicKey) pair.getPublic()).getU().toByteArray();
    byte[] out = new byte[BYTES];
    for (int i = 0; i < BYTES && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  /**
   * The X25519 shared secret with the peer's public key share.
   *
   * @throws GeneralSecurityException when the share is malformed or of small order (the shared secret
   *                                  would be all zeros)
   */
  public byte[] agree(byte[] peerShare) throws GeneralSecurityException {
    if (peerShare == null || peerShare.length != BYTES) {
      throw new GeneralSecurityException("a key share has " + BYTES + " bytes");
    }
    byte[] bigEndian = new byte[BYTES];
    for (int i = 0; i < BYTES; i++) {
      bigEndian[i] = peerShare[BYTES - 1 - i];
    }
    bigEndian[0] &= 0x7f; // RFC 7748: the most significant bit of the u-coordinate is ignored
    XECPublicKeySpec spec = new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian));
    KeyAgreement agreement = KeyAgreement.getInstance("XDH");
    agreement.init(pair.getPrivate());
    agreement.doPhase(KeyFactory.getInstance("XDH").generatePublic(spec), true);
    return agreement.generateSecret();
  }
}
