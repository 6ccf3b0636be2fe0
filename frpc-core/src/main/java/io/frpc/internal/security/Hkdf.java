package io.frpc.internal.security;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869). The JDK offers HKDF only from Java 24, so its two steps are spelled out
 * here over the JDK's {@code Mac}; {@code HkdfTest} checks them against the RFC's test vectors.
 */
final class Hkdf {

  private static final String HMAC = "HmacSHA256";
  private static final int HASH_BYTES = 32;

  private Hkdf() {
  }

  /** HKDF-Extract: a pseudorandom key from input keying material and a salt (no salt: 32 zero bytes). */
  static byte[] extract(byte[] salt, byte[] inputKeyingMaterial) {
    return hmac(salt == null || salt.length == 0 ? new byte[HASH_BYTES] : salt, inputKeyingMaterial);
  }

  /** HKDF-Expand: {@code length} bytes (at most 255 × 32) of keying material bound to {@code info}. */
  static byte[] expand(byte[] pseudorandomKey, byte[] info, int length) {
    if (length < 1 || length > 255 * HASH_BYTES) {
      throw new IllegalArgumentException("HKDF-Expand length " + length + " outside 1.." + 255 * HASH_BYTES);
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(pseudorandomKey, HMAC));
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      for (int filled = 0, counter = 1; filled < length; counter++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        block = mac.doFinal();
        int take = Math.min(block.length, length - filled);
        System.arraycopy(block, 0, out, filled, take);
        filled += take;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }
}
