package io.frpc.skynet;

/**
 * A Lua float (the float subtype of Lua 5.3+ numbers, a {@code double}), kept apart from {@link LuaInteger} even
 * when whole. Equality is that of {@link Double#compare}: {@code NaN} equals {@code NaN}, {@code -0.0} differs
 * from {@code 0.0}, so a value equals what it decodes to after a round trip.
 *
 * @param value the float
 */
public record LuaNumber(double value) implements LuaValue {

  @Override
  public String toString() {
    return Double.toString(value);
  }
}
