package io.frpc.skynet.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.skynet.GoldenVectors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * skynet.crypt's primitives against the outputs of skynet's own lua-crypt.c (skynet-vectors/crypt.hex) and against
 * the keys and values of the captured handshakes (skynet-vectors/handshake).
 */
class SkynetCryptoTest {

  private static final Map<String, byte[]> CRYPT = GoldenVectors.load("crypt.hex");

  @Test
  void dhExchangeOfTheFixedPrivateKeysAndOfOneTwoAndTheLargestKey() {
    assertThat(SkynetCrypto.dhExchange(CRYPT.get("client_private")))
        .isEqualTo(CRYPT.get("dhexchange(client_private)"));
    assertThat(SkynetCrypto.dhExchange(CRYPT.get("server_private")))
        .isEqualTo(CRYPT.get("dhexchange(server_private)"));
    assertThat(SkynetCrypto.dhExchange(hex("0100000000000000"))).isEqualTo(CRYPT.get("dhexchange(0x01)"));
    assertThat(SkynetCrypto.dhExchange(hex("0200000000000000"))).isEqualTo(CRYPT.get("dhexchange(0x02)"));
    assertThat(SkynetCrypto.dhExchange(hex("ffffffffffffffff")))
        .isEqualTo(CRYPT.get("dhexchange(0xffffffffffffffff)"));
  }

  @Test
  void bothSidesDeriveSkynetsSharedSecret() {
    byte[] client = CRYPT.get("client_private");
    byte[] server = CRYPT.get("server_private");
    assertThat(SkynetCrypto.dhSecret(SkynetCrypto.dhExchange(server), client)).isEqualTo(CRYPT.get("dhsecret"));
    assertThat(SkynetCrypto.dhSecret(SkynetCrypto.dhExchange(client), server)).isEqualTo(CRYPT.get("dhsecret"));
  }

  @Test
  void theSecretOfTheCapturedSecretAndEncryptHandshake() {
    // transcript_secret_encrypt.txt, connection 1
    byte[] clientPublic = SkynetCrypto.dhExchange(hex("02000000544e4c43"));
    byte[] serverPublic = SkynetCrypto.dhExchange(hex("0600000052565253"));
    assertThat(clientPublic).isEqualTo(hex("0daa9ed0d1453bd3"));
    assertThat(serverPublic).isEqualTo(hex("37af72f929913931"));
    assertThat(SkynetCrypto.dhSecret(serverPublic, hex("02000000544e4c43"))).isEqualTo(hex("90f913859051d54d"));
    assertThat(SkynetCrypto.hmac64(hex("0500000052565253"), hex("90f913859051d54d")))
        .isEqualTo(hex("e9f514ca42da1d96"));
  }

  @Test
  void aPeerValueAboveTheModulusIsReducedFirst() {
    byte[] privateKey = hex("0300000000000000");
    // p + 5 = 0xffffffffffffffca reduces to 5
    assertThat(SkynetCrypto.dhSecret(hex("caffffffffffffff"), privateKey))
        .isEqualTo(SkynetCrypto.dhSecret(hex("0500000000000000"), privateKey));
  }

  @Test
  void zeroKeysWrongSizesAndTheModulusAreRefused() {
    assertThatThrownBy(() -> SkynetCrypto.dhExchange(new byte[8])).isInstanceOf(SkynetCryptoException.class)
        .hasMessageContaining("is 0");
    assertThatThrownBy(() -> SkynetCrypto.dhSecret(new byte[8], hex("0100000000000000")))
        .isInstanceOf(SkynetCryptoException.class);
    assertThatThrownBy(() -> SkynetCrypto.dhSecret(hex("0100000000000000"), new byte[8]))
        .isInstanceOf(SkynetCryptoException.class);
    assertThatThrownBy(() -> SkynetCrypto.dhSecret(hex("c5ffffffffffffff"), hex("0200000000000000")))
        .isInstanceOf(SkynetCryptoException.class).hasMessageContaining("modulus");
    assertThatThrownBy(() -> SkynetCrypto.dhExchange(new byte[7])).isInstanceOf(SkynetCryptoException.class)
        .hasMessageContaining("7 bytes");
    assertThatThrownBy(() -> SkynetCrypto.hmac64(new byte[9], new byte[8]))
        .isInstanceOf(SkynetCryptoException.class);
    assertThatThrownBy(() -> SkynetCrypto.desEncode(new byte[16], new byte[1]))
        .isInstanceOf(SkynetCryptoException.class);
  }

  @Test
  void hmac64IsSkynetsOneRoundMd5Mix() {
    assertThat(SkynetCrypto.hmac64(CRYPT.get("challenge"), CRYPT.get("dhsecret")))
        .isEqualTo(CRYPT.get("hmac64(challenge,dhsecret)"));
    assertThat(SkynetCrypto.hmac64(hex("0102030405060708"), hex("1112131415161718")))
        .isEqualTo(CRYPT.get("hmac64(0102030405060708,1112131415161718)"));
    assertThat(SkynetCrypto.hmac64(new byte[8], new byte[8])).isEqualTo(CRYPT.get("hmac64(zero8,zero8)"));
  }

  @Test
  void randomKeyIsTheLittleEndianBytesOfOneLong() {
    assertThat(SkynetCrypto.randomKey(fixed(0x5352565200000005L))).isEqualTo(hex("0500000052565253"));
  }

  @Test
  void aRandomKeyWhoseBytesXorToZeroGetsItsLowestBitSet() {
    assertThat(SkynetCrypto.randomKey(fixed(0L))).isEqualTo(hex("0100000000000000"));
    assertThat(SkynetCrypto.randomKey(fixed(0x0101L))).isEqualTo(hex("0101000000000000"));
    assertThat(SkynetCrypto.randomKey(fixed(0x0303L))).isEqualTo(hex("0303000000000000"));
    assertThat(SkynetCrypto.randomKey(fixed(0x0202L))).isEqualTo(hex("0302000000000000"));
  }

  @Test
  void base64AsSkynetWritesIt() {
    assertThat(SkynetCrypto.base64Encode(CRYPT.get("challenge")))
        .isEqualTo(new String(CRYPT.get("base64encode(challenge)"), StandardCharsets.US_ASCII));
    assertThat(SkynetCrypto.base64Encode("a".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(new String(CRYPT.get("base64encode(a)"), StandardCharsets.US_ASCII));
    assertThat(SkynetCrypto.base64Encode("ab".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(new String(CRYPT.get("base64encode(ab)"), StandardCharsets.US_ASCII));
    assertThat(SkynetCrypto.base64Decode(CRYPT.get("base64encode(challenge)"))).isEqualTo(CRYPT.get("challenge"));
    assertThatThrownBy(() -> SkynetCrypto.base64Decode("a*b=".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(SkynetCryptoException.class);
  }

  @Test
  void desEncodePadsIso7816AndMatchesSkynetForEveryLength() {
    byte[] key = CRYPT.get("des_key");
    for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 100}) {
      byte[] text = new byte[n];
      Arrays.fill(text, (byte) 0x5a);
      byte[] expected = CRYPT.get("desencode(des_key,5a*" + n + ")");
      assertThat(SkynetCrypto.desEncode(key, text)).as("%d bytes", n).isEqualTo(expected);
      assertThat(SkynetCrypto.desDecode(key, expected)).as("%d bytes", n).isEqualTo(text);
    }
    assertThat(SkynetCrypto.desEncode(key, hex("2470696e670a01")))
        .isEqualTo(CRYPT.get("desencode(des_key,pack(ping,1))"));
  }

  @Test
  void desIsStandardSingleDesInEcbMode() {
    assertThat(SkynetCrypto.desEncode(hex("0123456789abcdef"), hex("0011223344556677")))
        .isEqualTo(CRYPT.get("desencode(0123456789abcdef,0011223344556677)"));
  }

  @Test
  void desDecodeRefusesBadLengths() {
    byte[] key = CRYPT.get("des_key");
    for (int n : new int[] {0, 1, 7, 9, 15}) {
      assertThatThrownBy(() -> SkynetCrypto.desDecode(key, new byte[n])).as("%d bytes", n)
          .isInstanceOf(SkynetCryptoException.class).hasMessageContaining("multiple of 8");
    }
  }

  @Test
  void desDecodeRefusesBadPadding() {
    byte[] key = CRYPT.get("des_key");
    // a whole block of zeros after the data: no 0x80 within the last block
    byte[] noMarker = SkynetCrypto.desEncode(key, new byte[15]);
    assertThatThrownBy(() -> SkynetCrypto.desDecode(key, Arrays.copyOf(noMarker, 8)))
        .isInstanceOf(SkynetCryptoException.class).hasMessageContaining("padding");
    // the 0x80 more than 8 bytes from the end: a block of zeros follows it
    byte[] farMarker = concat(SkynetCrypto.desEncode(key, new byte[0]),
        Arrays.copyOf(SkynetCrypto.desEncode(key, new byte[8]), 8));
    assertThatThrownBy(() -> SkynetCrypto.desDecode(key, farMarker))
        .isInstanceOf(SkynetCryptoException.class).hasMessageContaining("padding");
    // the wrong key
    byte[] text = SkynetCrypto.desEncode(key, "hello".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> SkynetCrypto.desDecode(hex("0123456789abcdef"), text))
        .isInstanceOf(SkynetCryptoException.class);
  }

  @Test
  void desIgnoresTheKeysParityBits() {
    byte[] key = CRYPT.get("des_key");
    byte[] flipped = key.clone();
    for (int i = 0; i < flipped.length; i++) {
      flipped[i] ^= 1;
    }
    assertThat(SkynetCrypto.desEncode(flipped, new byte[3])).isEqualTo(SkynetCrypto.desEncode(key, new byte[3]));
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  /** A generator whose every long is {@code value}. */
  static RandomGenerator fixed(long value) {
    return () -> value;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
