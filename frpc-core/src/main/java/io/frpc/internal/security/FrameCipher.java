package io.frpc.internal.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the frames of one direction of one connection. The nonce is the frame's sequence number
 * (four zero bytes, then the number as eight big-endian bytes), counted by both sides and never sent, so a
 * frame that is replayed, dropped, reordered or altered fails authentication. The key moves on to the next
 * one derived from it after {@value #BLOCKS_PER_KEY_DEFAULT} AES blocks, well inside GCM's bound for one
 * key. Not thread-safe: one instance per direction, used on the connection's I/O thread.
 */
public final class FrameCipher {

  /** Bytes the tag adds to every frame. */
  public static final int TAG_BYTES = 16;

  static final long BLOCKS_PER_KEY_DEFAULT = 1L << 32;
  private static final byte[] NEXT_KEY = "frpc v2 next key".getBytes(StandardCharsets.US_ASCII);

  private final Cipher cipher;
  private final int mode;
  private final long blocksPerKey;
  private final byte[] nonce = new byte[12];
  private SecretKeySpec key;
  private byte[] keyBytes;
  private long sequence;
  private long blocksUnderKey;

  private FrameCipher(int mode, byte[] key, long blocksPerKey) {
    this.mode = mode;
    this.blocksPerKey = blocksPerKey;
    this.keyBytes = key.clone();
    this.key = new SecretKeySpec(keyBytes, "AES");
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available in this JVM", e);
    }
  }

  /** The cipher that protects frames sent with {@code key}. */
  public static FrameCipher sealing(byte[] key) {
    return new FrameCipher(Cipher.ENCRYPT_MODE, key, BLOCKS_PER_KEY_DEFAULT);
  }

  /** The cipher that opens frames received under {@code key}. */
  public static FrameCipher opening(byte[] key) {
    return new FrameCipher(Cipher.DECRYPT_MODE, key, BLOCKS_PER_KEY_DEFAULT);
  }

  static FrameCipher withKeyLimit(boolean sealing, byte[] key, long blocksPerKey) {
    return new FrameCipher(sealing ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, blocksPerKey);
  }

  /**
   * Encrypts the remaining bytes of {@code plain} (the parts of one frame, in order) into {@code sealed}, which
   * receives their length plus {@link #TAG_BYTES}.
   */
  public void seal(ByteBuffer[] plain, ByteBuffer sealed) {
    try {
      run(plain, sealed);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("AES/GCM encryption reported a bad tag", e);
    }
  }

  /**
   * Decrypts and verifies the remaining bytes of {@code sealed} (the parts of one frame, tag included) into
   * {@code plain}.
   *
   * @throws AEADBadTagException when the frame is not the next one the peer sealed with this key
   */
  public void open(ByteBuffer[] sealed, ByteBuffer plain) throws AEADBadTagException {
    run(sealed, plain);
  }

  private void run(ByteBuffer[] in, ByteBuffer out) throws AEADBadTagException {
    int length = 0;
    for (ByteBuffer part : in) {
      length += part.remaining();
    }
    if (mode == Cipher.DECRYPT_MODE && length < TAG_BYTES) {
      throw new AEADBadTagException("frame shorter than its tag");
    }
    try {
      cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nextNonce()));
      for (int i = 0; i < in.length - 1; i++) {
        cipher.update(in[i], out);
      }
      cipher.doFinal(in[in.length - 1], out);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM failed", e);
    }
    advance(mode == Cipher.DECRYPT_MODE ? length - TAG_BYTES : length);
  }

  private byte[] nextNonce() {
    long n = sequence;
    for (int i = 11; i >= 4; i--) {
      nonce[i] = (byte) n;
      n >>>= 8;
    }
    return nonce;
  }

  /** Counts the frame; past the key's share of blocks, both sides move to the next key. */
  private void advance(int plainLength) {
    sequence++;
    blocksUnderKey += (plainLength + 15) / 16 + 2;
    if (blocksUnderKey >= blocksPerKey) {
      keyBytes = Hkdf.expand(keyBytes, NEXT_KEY, keyBytes.length);
      key = new SecretKeySpec(keyBytes, "AES");
      blocksUnderKey = 0;
    }
  }

  /** Frames processed so far. */
  long sequence() {
    return sequence;
  }
}
