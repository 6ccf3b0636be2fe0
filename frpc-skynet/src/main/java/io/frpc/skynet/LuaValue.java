package io.frpc.skynet;

/**
 * A Lua value as skynet serializes it ({@code skynet.pack} / {@code skynet.unpack}): immutable, compared by value.
 *
 * <p>How Lua maps to these types:
 * <ul>
 *   <li>{@code nil} is {@link LuaNil}. It appears as one of several packed values, or as an element of a table's
 *       array part (a hole, as in {@code {1, nil, 3}}); it is never a key or a value of a table's hash part, where
 *       Lua has no nil.</li>
 *   <li>Lua 5.3+ keeps integers and floats apart, and so does skynet's wire format: an integer subtype is
 *       {@link LuaInteger} (a {@code long}, Lua's 64-bit {@code lua_Integer}), a float subtype is {@link LuaNumber}
 *       (a {@code double}), even when its value is whole ({@code 1.0} stays a float).</li>
 *   <li>A Lua string is a string of bytes with no encoding: {@link LuaString} holds the bytes, with UTF-8
 *       conveniences for the usual text.</li>
 *   <li>A table is {@link LuaTable}: the array part skynet sends first (keys {@code 1..n}), then the hash part as
 *       pairs in the order they arrived or were added.</li>
 * </ul>
 * Userdata and functions have no counterpart: skynet sends a light userdata as a raw C pointer of the sending
 * process, which means nothing elsewhere, and cannot send the others at all.
 */
public sealed interface LuaValue permits LuaNil, LuaBoolean, LuaInteger, LuaNumber, LuaString, LuaTable {

  /** Lua's {@code nil}. */
  static LuaNil nil() {
    return LuaNil.NIL;
  }

  /** A Lua boolean. */
  static LuaBoolean of(boolean value) {
    return value ? LuaBoolean.TRUE : LuaBoolean.FALSE;
  }

  /** A Lua integer. */
  static LuaInteger of(long value) {
    return new LuaInteger(value);
  }

  /** A Lua float. */
  static LuaNumber of(double value) {
    return new LuaNumber(value);
  }

  /** A Lua string holding the UTF-8 bytes of {@code text}. */
  static LuaString of(String text) {
    return LuaString.of(text);
  }

  /** A Lua string holding a copy of {@code bytes}. */
  static LuaString of(byte[] bytes) {
    return new LuaString(bytes);
  }

  /** Whether this is {@code nil}. */
  default boolean isNil() {
    return this instanceof LuaNil;
  }
}
