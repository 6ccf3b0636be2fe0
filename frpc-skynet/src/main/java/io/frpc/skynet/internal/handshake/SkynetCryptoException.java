package io.frpc.skynet.internal.handshake;

/**
 * Bytes that skynet's crypto refuses: a DES text whose length or padding is wrong (skynet: "Invalid des crypt text
 * length", "Invalid des crypt text"), a key of the wrong size or zero, base64 that does not decode. The only
 * exception {@link SkynetCrypto} throws for its input.
 */
public class SkynetCryptoException extends RuntimeException {

  /** An exception whose message says what was wrong. */
  public SkynetCryptoException(String message) {
    super(message);
  }
}
