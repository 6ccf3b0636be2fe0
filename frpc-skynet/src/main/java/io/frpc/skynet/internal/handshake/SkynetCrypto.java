package io.frpc.skynet.internal.handshake;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitives of skynet's {@code skynet.crypt} (skynet's {@code lualib-src/lua-crypt.c}) that skynet_fly's frpc
 * handshake and payload encryption use, byte-exact with skynet: {@link #randomKey}, Diffie-Hellman
 * ({@link #dhExchange}, {@link #dhSecret}), {@link #hmac64}, single DES in ECB mode with ISO/IEC 7816-4 padding
 * ({@link #desEncode}, {@link #desDecode}) and base64.
 *
 * <p>Keys and Diffie-Hellman values are 8 bytes holding an unsigned 64-bit integer, little-endian. None of this is
 * strong cryptography (a 64-bit group, single DES, a one-round MD5 mix); it is what skynet_fly peers speak.
 *
 * <p>Stateless and thread-safe. Input that skynet refuses throws {@link SkynetCryptoException}.
 */
public final class SkynetCrypto {

  /** The size of every key, challenge and Diffie-Hellman value: 8 bytes. */
  public static final int KEY_BYTES = 8;

  /** skynet's modulus, the largest 64-bit prime, 2^64 - 59. */
  private static final BigInteger P = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(59));
  private static final BigInteger G = BigInteger.valueOf(5);
  private static final int DES_BLOCK = 8;

  /** MD5's sine table, RFC 1321 section 3.4: T[i] = floor(2^32 * abs(sin(i + 1))). */
  private static final int[] T = {
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
      0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
      0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
      0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
      0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
      0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
      0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
      0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
  /** MD5's shift amounts per round, RFC 1321 section 3.4. */
  private static final int[][] SHIFTS = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

  private SkynetCrypto() {
  }

  /**
   * skynet's {@code crypt.randomkey()}: 8 random bytes, the little-endian bytes of one {@code random.nextLong()};
   * when the XOR of the 8 bytes is 0, the lowest bit of the first byte is set (so the key is never 0).
   */
  public static byte[] randomKey(RandomGenerator random) {
    byte[] key = littleEndian(random.nextLong());
    byte xor = 0;
    for (byte b : key) {
      xor ^= b;
    }
    if (xor == 0) {
      key[0] |= 1;
    }
    return key;
  }

  /**
   * skynet's {@code crypt.dhexchange(key)}: 5^key mod (2^64 - 59), the public value to send for a private key.
   *
   * @throws SkynetCryptoException if the key is not 8 bytes or is 0 (skynet: "Can't be 0")
   */
  public static byte[] dhExchange(byte[] privateKey) {
    return powMod(G, nonZero(privateKey, "private key"));
  }

  /**
   * skynet's {@code crypt.dhsecret(peerPublic, privateKey)}: peerPublic^privateKey mod (2^64 - 59), the secret
   * both sides share. A peer's value of p or more is reduced mod p first, as skynet does.
   *
   * @throws SkynetCryptoException if a value is not 8 bytes or is 0, or if the peer's value is p (a multiple of p
   *     has no place in the group; skynet would make a key of 0 from it)
   */
  public static byte[] dhSecret(byte[] peerPublic, byte[] privateKey) {
    BigInteger base = nonZero(peerPublic, "peer's public value");
    if (base.mod(P).signum() == 0) {
      throw new SkynetCryptoException("the peer's Diffie-Hellman value is the modulus itself");
    }
    return powMod(base, nonZero(privateKey, "private key"));
  }

  /**
   * skynet's {@code crypt.hmac64(x, y)}, which is not RFC 2104 HMAC: with x0, x1, y0, y1 the little-endian 32-bit
   * halves of x and y, one MD5 compression (RFC 1321 section 3.4) from MD5's initial state over the 16 words
   * {@code x1, x0, y1, y0} four times, without padding and without adding the initial state back; the result is
   * the little-endian bytes of {@code c ^ d}, then of {@code a ^ b}.
   *
   * @throws SkynetCryptoException if x or y is not 8 bytes
   */
  public static byte[] hmac64(byte[] x, byte[] y) {
    checkKey(x, "hmac64 x");
    checkKey(y, "hmac64 y");
    int x0 = int32(x, 0);
    int x1 = int32(x, 4);
    int y0 = int32(y, 0);
    int y1 = int32(y, 4);
    int[] words = new int[16];
    for (int i = 0; i < 16; i += 4) {
      words[i] = x1;
      words[i + 1] = x0;
      words[i + 2] = y1;
      words[i + 3] = y0;
    }
    int[] state = md5Compression(words);
    byte[] out = new byte[KEY_BYTES];
    putInt32(out, 0, state[2] ^ state[3]);
    putInt32(out, 4, state[0] ^ state[1]);
    return out;
  }

  /**
   * skynet's {@code crypt.desencode(key, text)}: {@code text} padded ISO/IEC 7816-4 style ({@code 0x80}, then
   * {@code 0x00}s up to a multiple of 8, always at least one byte), encrypted with single DES in ECB mode under the
   * 8-byte key (its parity bits ignored). An empty text gives 8 bytes, an 8-byte text 16.
   *
   * @throws SkynetCryptoException if the key is not 8 bytes
   */
  public static byte[] desEncode(byte[] key, byte[] text) {
    checkKey(key, "DES key");
    int padded = (text.length / DES_BLOCK + 1) * DES_BLOCK;
    byte[] block = Arrays.copyOf(text, padded);
    block[text.length] = (byte) 0x80;
    return des(Cipher.ENCRYPT_MODE, key, block);
  }

  /**
   * skynet's {@code crypt.desdecode(key, text)}: the inverse of {@link #desEncode}.
   *
   * @throws SkynetCryptoException if the key is not 8 bytes, the text is empty or not a multiple of 8 bytes
   *     (skynet: "Invalid des crypt text length"), or the decrypted padding is not {@code 0x80} followed by
   *     {@code 0x00}s within the last block (skynet: "Invalid des crypt text")
   */
  public static byte[] desDecode(byte[] key, byte[] text) {
    checkKey(key, "DES key");
    if (text.length == 0 || text.length % DES_BLOCK != 0) {
      throw new SkynetCryptoException("DES text of " + text.length + " bytes: must be a positive multiple of 8");
    }
    byte[] plain = des(Cipher.DECRYPT_MODE, key, text);
    int end = plain.length - 1;
    while (end >= plain.length - DES_BLOCK && plain[end] == 0) {
      end--;
    }
    if (end < plain.length - DES_BLOCK || plain[end] != (byte) 0x80) {
      throw new SkynetCryptoException("DES text decrypts to bad padding: wrong key, or not a DES text");
    }
    return Arrays.copyOf(plain, end);
  }

  /** skynet's {@code crypt.base64encode}: the standard alphabet with {@code =} padding. */
  public static String base64Encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The inverse of {@link #base64Encode}, strict (skynet's decoder skips characters outside the alphabet; nothing
   * skynet encodes has them).
   *
   * @throws SkynetCryptoException if the text is not base64
   */
  public static byte[] base64Decode(byte[] text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new SkynetCryptoException("not base64: " + e.getMessage());
    }
  }

  /** RFC 1321's four rounds over one block, from the initial state, without the final addition of that state. */
  private static int[] md5Compression(int[] x) {
    int a = 0x67452301;
    int b = 0xefcdab89;
    int c = 0x98badcfe;
    int d = 0x10325476;
    for (int i = 0; i < 64; i++) {
      int round = i / 16;
      int f;
      int k;
      switch (round) {
        case 0 -> {
          f = (b & c) | (~b & d);
          k = i;
        }
        case 1 -> {
          f = (b & d) | (c & ~d);
          k = (1 + 5 * i) % 16;
        }
        case 2 -> {
          f = b ^ c ^ d;
          k = (5 + 3 * i) % 16;
        }
        default -> {
          f = c ^ (b | ~d);
          k = (7 * i) % 16;
        }
      }
      int sum = b + Integer.rotateLeft(a + f + x[k] + T[i], SHIFTS[round][i % 4]);
      a = d;
      d = c;
      c = b;
      b = sum;
    }
    return new int[] {a, b, c, d};
  }

  private static byte[] des(int mode, byte[] key, byte[] text) {
    try {
      Cipher cipher = Cipher.getInstance("DES/ECB/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "DES"));
      return cipher.doFinal(text);
    } catch (GeneralSecurityException e) {
      // DES/ECB/NoPadding is in every JDK 17 (SunJCE); a block-aligned text is all it needs
      throw new IllegalStateException("DES/ECB/NoPadding unavailable or refused a whole block", e);
    }
  }

  private static byte[] powMod(BigInteger base, BigInteger exponent) {
    return littleEndian(base.modPow(exponent, P).longValue());
  }

  private static BigInteger nonZero(byte[] key, String what) {
    checkKey(key, what);
    long value = (int32(key, 0) & 0xFFFFFFFFL) | ((long) int32(key, 4) << 32);
    if (value == 0) {
      throw new SkynetCryptoException("the " + what + " is 0");
    }
    return new BigInteger(Long.toUnsignedString(value));
  }

  private static void checkKey(byte[] key, String what) {
    if (key.length != KEY_BYTES) {
      throw new SkynetCryptoException("the " + what + " has " + key.length + " bytes, not " + KEY_BYTES);
    }
  }

  private static byte[] littleEndian(long value) {
    byte[] bytes = new byte[KEY_BYTES];
    putInt32(bytes, 0, (int) value);
    putInt32(bytes, 4, (int) (value >>> 32));
    return bytes;
  }

  private static int int32(byte[] bytes, int offset) {
    return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
        | (bytes[offset + 3] & 0xFF) << 24;
  }

  private static void putInt32(byte[] bytes, int offset, int value) {
    bytes[offset] = (byte) value;
    bytes[offset + 1] = (byte) (value >>> 8);
    bytes[offset + 2] = (byte) (value >>> 16);
    bytes[offset + 3] = (byte) (value >>> 24);
  }
}
