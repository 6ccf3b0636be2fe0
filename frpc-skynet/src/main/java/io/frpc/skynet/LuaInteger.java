package io.frpc.skynet;

/**
 * A Lua integer (the integer subtype of Lua 5.3+ numbers, 64 bits).
 *
 * @param value the integer
 */
public record LuaInteger(long value) implements LuaValue {

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
