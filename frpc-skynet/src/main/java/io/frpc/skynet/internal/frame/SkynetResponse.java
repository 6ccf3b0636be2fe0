package io.frpc.skynet.internal.frame;

import java.util.Arrays;

/**
 * A response of skynet_fly's frpc ({@code frpcpack.packresponse}) to the request of the same session.
 *
 * @param session the session of the request answered
 * @param ok whether the call succeeded: then the payload is the {@code skynet.pack} of the results (or its
 *     encryption); otherwise it is the error's text, as bytes, not packed, cut to 32 KiB when sent
 * @param payload the results or the error text
 */
public record SkynetResponse(long session, boolean ok, byte[] payload) implements SkynetMessage {

  @Override
  public boolean equals(Object other) {
    return other instanceof SkynetResponse that && session == that.session && ok == that.ok
        && Arrays.equals(payload, that.payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(session) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "SkynetResponse[session=" + session + ", ok=" + ok + ", payload=" + payload.length + " bytes]";
  }
}
