package io.frpc.skynet.internal.frame;

import java.util.Arrays;

/**
 * A request of skynet_fly's frpc ({@code frpcpack.packrequest}): which call ({@code packId}, see skynet_fly's
 * {@code FRPC_PACK_ID}), the module and instance it targets, the session that correlates the response, the key for
 * "mod" routing and whether a response is expected.
 *
 * @param packId the kind of call, 0 to 255
 * @param moduleName the target module (or, for the alias calls, the skynet service alias); at most 255 bytes of
 *     UTF-8 to be sent, and decoded from UTF-8 with U+FFFD for malformed bytes
 * @param instanceName the target instance, empty for none; the same limits
 * @param session the session, 1 to 2^32-1 to be sent (skynet_fly refuses 0); any unsigned 32-bit value decoded
 * @param modKey the key of "mod" routing, or 0 for none: skynet_fly sends the key only when it is positive
 * @param expectsResponse whether the sender waits for a response (the {@code RSP} flag)
 * @param payload the {@code skynet.pack} of the arguments, or its encryption
 */
public record SkynetRequest(int packId, String moduleName, String instanceName, long session, long modKey,
    boolean expectsResponse, byte[] payload) implements SkynetMessage {

  @Override
  public boolean equals(Object other) {
    return other instanceof SkynetRequest that && packId == that.packId && moduleName.equals(that.moduleName)
        && instanceName.equals(that.instanceName) && session == that.session && modKey == that.modKey
        && expectsResponse == that.expectsResponse && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(session) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "SkynetRequest[packId=" + packId + ", module=" + moduleName + ", instance=" + instanceName + ", session="
        + session + ", modKey=" + modKey + ", expectsResponse=" + expectsResponse + ", payload=" + payload.length
        + " bytes]";
  }
}
