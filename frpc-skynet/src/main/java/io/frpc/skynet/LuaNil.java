package io.frpc.skynet;

/** Lua's {@code nil}: every instance equals every other; {@link #NIL} is the one to use. */
public record LuaNil() implements LuaValue {

  /** The {@code nil} value. */
  public static final LuaNil NIL = new LuaNil();

  @Override
  public String toString() {
    return "nil";
  }
}
