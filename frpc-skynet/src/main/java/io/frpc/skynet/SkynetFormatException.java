package io.frpc.skynet;

/**
 * Bytes that are not what {@code skynet.pack} writes, or that exceed a decoding limit: the only exception
 * {@link SkynetPack#unpack} throws for its input, whatever the input.
 */
public class SkynetFormatException extends RuntimeException {

  /** An exception with a message that says what is wrong and where. */
  public SkynetFormatException(String message) {
    super(message);
  }
}
