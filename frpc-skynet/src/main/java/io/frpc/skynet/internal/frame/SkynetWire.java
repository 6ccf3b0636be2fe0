package io.frpc.skynet.internal.frame;

/**
 * Constants of skynet_fly's frpc wire format ({@code lualib-src/lua-frpcpack.c}). Every frame is a 2-byte big-endian
 * length and that many bytes; the integers inside a frame (session, sizes, mod key) are little-endian.
 */
final class SkynetWire {

  /** A payload larger than this travels as a head and parts of at most this size. */
  static final int PART_SIZE = 0x8000;
  /** The largest body a 2-byte length can announce. */
  static final int MAX_FRAME_BODY = 0xFFFF;
  /** The largest module, instance or channel name: its length is one byte. */
  static final int MAX_NAME_BYTES = 255;
  /** The largest session: sessions are unsigned 32-bit. */
  static final long MAX_SESSION = 0xFFFFFFFFL;

  /** A whole message. */
  static final int FLAG_WHOLE = 0x01;
  /** The head of a message sent in parts, with its total size. */
  static final int FLAG_PART_HEAD = 0x02;
  /** A part that is not the last. */
  static final int FLAG_PART = 0x04;
  /** The last part. */
  static final int FLAG_PART_END = 0x08;
  /** Of a request: the sender waits for a response. */
  static final int FLAG_RESPONSE = 0x10;
  /** Of a request: a mod key follows the session. */
  static final int FLAG_MOD = 0x20;
  /** Of a response: the call failed (the byte where a successful response has {@link #FLAG_WHOLE}). */
  static final int FLAG_ERROR = 0x00;

  private SkynetWire() {
  }
}
