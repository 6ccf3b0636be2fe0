package io.frpc.skynet;

/**
 * A Lua boolean.
 *
 * @param value the boolean
 */
public record LuaBoolean(boolean value) implements LuaValue {

  /** Lua's {@code true}. */
  public static final LuaBoolean TRUE = new LuaBoolean(true);
  /** Lua's {@code false}. */
  public static final LuaBoolean FALSE = new LuaBoolean(false);

  @Override
  public String toString() {
    return Boolean.toString(value);
  }
}
