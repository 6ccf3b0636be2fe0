package io.frpc.skynet.internal.frame;

import java.util.Arrays;

/**
 * A message a skynet_fly server pushes on a subscriber's "watch" connection ({@code frpcpack.packpubmessage}): a
 * publication, or the answer to a subscription request.
 *
 * @param packId what it is (skynet_fly's {@code FRPC_PACK_ID}: 10 a publication, 11 to 16 the (un)subscriptions)
 * @param session a number the server counts up per push, 1 to 2^32-1 to be sent; nothing correlates with it
 * @param channelName the channel; at most 255 bytes of UTF-8 to be sent, decoded with U+FFFD for malformed bytes
 * @param payload the {@code skynet.pack} of what is pushed, or its encryption
 */
public record SkynetPush(int packId, long session, String channelName, byte[] payload) implements SkynetMessage {

  @Override
  public boolean equals(Object other) {
    return other instanceof SkynetPush that && packId == that.packId && session == that.session
        && channelName.equals(that.channelName) && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(session) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "SkynetPush[packId=" + packId + ", session=" + session + ", channel=" + channelName + ", payload="
        + payload.length + " bytes]";
  }
}
