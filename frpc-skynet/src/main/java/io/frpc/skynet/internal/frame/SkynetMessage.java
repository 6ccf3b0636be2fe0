package io.frpc.skynet.internal.frame;

/**
 * A whole message of skynet_fly's frpc wire format, after the reassembly of its parts: a request (client to
 * server), a response to one, or a push to a subscriber (on a "watch" connection).
 */
public sealed interface SkynetMessage permits SkynetRequest, SkynetResponse, SkynetPush {

  /**
   * The bytes after the header: usually the {@code skynet.pack} of the arguments or results (DES-encrypted when the
   * node encrypts), the error text of a failed response. Not copied: whoever makes a message gives the array up.
   */
  byte[] payload();
}
