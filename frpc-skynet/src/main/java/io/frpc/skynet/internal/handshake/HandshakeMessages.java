package io.frpc.skynet.internal.handshake;

import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import java.util.List;

/**
 * The frames of skynet_fly's handshake (frpc_server.lua {@code hand_shake}, frpc_client_m.lua
 * {@code do_hand_shake_channel}): requests of pack id 1 to module {@code "hand_shake"} whose payload is the
 * {@code skynet.pack} of one table, and ok responses whose payload is the {@code skynet.pack} of one string, never
 * encrypted.
 */
final class HandshakeMessages {

  /** skynet_fly's {@code FRPC_PACK_ID.hand_shake}. */
  static final int PACK_ID = 1;
  /** The module name skynet_fly's client puts in handshake requests. */
  static final String MODULE = "hand_shake";
  /** The largest handshake payload either side reads: skynet_fly's tables take well under 200 bytes. */
  static final int MAX_PAYLOAD_BYTES = 4096;
  /** The most entries a handshake table may have: skynet_fly's have at most four. */
  static final int MAX_TABLE_ENTRIES = 16;
  /** The longest {@code svr_name} accepted, in bytes. */
  static final int MAX_NAME_BYTES = 255;

  /** The reply to a good step 3 and to an accepted identity. */
  static final String OK = "ok";
  /** The reply to an identity whose secret key differs from the server's. */
  static final String SECRET_KEY_ERR = "secret_key err";

  /** Unpacks at most {@link #MAX_PAYLOAD_BYTES}. */
  static final SkynetPack PACK = SkynetPack.withMaxBytes(MAX_PAYLOAD_BYTES);

  private HandshakeMessages() {
  }

  static SkynetRequest request(long session, byte[] payload) {
    return new SkynetRequest(PACK_ID, MODULE, "", session, 0, true, payload);
  }

  static SkynetResponse reply(long session, String text) {
    return new SkynetResponse(session, true, PACK.pack(LuaValue.of(text)));
  }

  /**
   * Text a peer chose, fit for a log line or an exception message: at most 120 characters, control and format
   * characters escaped as Java's unicode escapes (a backslash, {@code u} and four hex digits).
   */
  static String printable(Object peerText) {
    String text = String.valueOf(peerText);
    StringBuilder out = new StringBuilder();
    int limit = Math.min(text.length(), 120);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      int type = Character.getType(c);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return text.length() > limit ? out.append("...(").append(text.length()).append(" chars)").toString()
        : out.toString();
  }

  /** The first value of a reply's payload when it is a string, else {@code null}. */
  static LuaString replyText(byte[] payload) {
    List<LuaValue> values = PACK.unpack(payload);
    return !values.isEmpty() && values.get(0) instanceof LuaString text ? text : null;
  }
}
