package io.frpc.skynet.internal.frame;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * The peer broke skynet_fly's frpc wire format, or a message exceeds a limit of {@link SkynetMessageDecoder}: the
 * only exception the decoder raises, and the connection it came from should be closed (the decoder's state of
 * partial messages is no longer reliable).
 */
public class SkynetFrameException extends CorruptedFrameException {

  /** An exception whose message says what was wrong. */
  public SkynetFrameException(String message) {
    super(message);
  }
}
