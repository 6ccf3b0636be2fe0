package io.frpc.skynet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Lua string: bytes with no encoding of their own (skynet sends them as they are). Most strings are UTF-8 text;
 * {@link #utf8()} and {@link #isUtf8()} serve those, {@link #bytes()} serves the rest. The record keeps its own
 * copy of the bytes and hands out copies, so it is immutable; it is compared by content.
 *
 * @param bytes the string's bytes
 */
public record LuaString(byte[] bytes) implements LuaValue {

  /** The empty string. */
  public static final LuaString EMPTY = new LuaString(new byte[0]);

  /** Copies {@code bytes}. */
  public LuaString {
    bytes = bytes.clone();
  }

  /** A Lua string holding the UTF-8 bytes of {@code text}. */
  public static LuaString of(String text) {
    return new LuaString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes (Lua's {@code #s}). */
  public int length() {
    return bytes.length;
  }

  /** Whether the bytes are well-formed UTF-8. */
  public boolean isUtf8() {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * The bytes decoded as UTF-8; a malformed sequence becomes U+FFFD, so check {@link #isUtf8()} first where that
   * loss matters.
   */
  public String utf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The bytes themselves, not copied, for this package's encoder, which only reads them. */
  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LuaString that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The text in quotes when it is UTF-8, else the bytes in hex. */
  @Override
  public String toString() {
    return isUtf8() ? '"' + utf8() + '"' : "0x" + HexFormat.of().formatHex(bytes);
  }
}
