package io.frpc.skynet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Lua table as skynet sends it: an array part (the values of keys {@code 1..n}, in order) and a hash part (every
 * other key, in the order the pairs arrived or were added).
 *
 * <p>The array part may hold {@link LuaNil} holes: skynet sends {@code n = #t} values and {@code #t} of a table with
 * holes is any border Lua picks, so {@code {1, nil, 3}} usually arrives as three values, the second one nil. The hash
 * part holds no nil (a nil value is no entry in Lua), no nil or NaN key, and no integer key in {@code 1..n} (that
 * slot belongs to the array part). As in Lua, a float key with an integral value is the integer key:
 * {@code 2.0} is stored as {@code 2}.
 *
 * <p>Equality compares the array parts element by element and the hash parts as maps, ignoring the order of pairs
 * (a Lua table has none; skynet sends pairs in its hash table's order, which the receiver cannot rely on). It is
 * equality of the representation: a table built as hash pairs {@code [1]=a, [2]=b} is not equal to the array
 * {@code {a, b}}, though Lua would not tell them apart.
 *
 * @param array the values of keys {@code 1..n}, unmodifiable
 * @param hash the other pairs in order of arrival, unmodifiable
 */
public record LuaTable(List<LuaValue> array, Map<LuaValue, LuaValue> hash) implements LuaValue {

  /** The empty table {@code {}}. */
  public static final LuaTable EMPTY = new LuaTable(List.of(), Map.of());

  /**
   * Copies both parts, refusing what Lua cannot hold: a nil or NaN key, a nil hash value, an integer key that
   * belongs to the array part, and two keys that are the same Lua key ({@code 2} and {@code 2.0}).
   */
  public LuaTable {
    array = List.copyOf(array);
    Map<LuaValue, LuaValue> pairs = new LinkedHashMap<>();
    for (Map.Entry<LuaValue, LuaValue> entry : hash.entrySet()) {
      LuaValue key = normalizedKey(entry.getKey());
      LuaValue value = Objects.requireNonNull(entry.getValue(), "value");
      if (value instanceof LuaNil) {
        throw new IllegalArgumentException("a nil value is no entry in a Lua table: leave key " + key + " out");
      }
      if (key instanceof LuaInteger index && index.value() >= 1 && index.value() <= array.size()) {
        throw new IllegalArgumentException("key " + key + " belongs to the array part of " + array.size()
            + " values");
      }
      if (pairs.put(key, value) != null) {
        throw new IllegalArgumentException("key " + entry.getKey() + " is given twice (as Lua sees keys)");
      }
    }
    hash = Collections.unmodifiableMap(pairs);
  }

  /** A table with only an array part. */
  public static LuaTable ofArray(LuaValue... values) {
    return new LuaTable(List.of(values), Map.of());
  }

  /** A table with only an array part. */
  public static LuaTable ofArray(List<? extends LuaValue> values) {
    return new LuaTable(List.copyOf(values), Map.of());
  }

  /** A builder of a table, for the array part first and then the pairs. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The value Lua's {@code t[key]} would read: an integer key {@code 1..n} reads the array part, any other key the
   * hash part; a missing key reads nil.
   */
  public LuaValue get(LuaValue key) {
    if (key instanceof LuaNil || key instanceof LuaNumber number && Double.isNaN(number.value())) {
      return LuaNil.NIL;
    }
    LuaValue normalized = normalizedKey(key);
    if (normalized instanceof LuaInteger index && index.value() >= 1 && index.value() <= array.size()) {
      return array.get((int) index.value() - 1);
    }
    return hash.getOrDefault(normalized, LuaNil.NIL);
  }

  /** {@code t[key]} for a string key given as text (its UTF-8 bytes). */
  public LuaValue get(String key) {
    return get(LuaString.of(key));
  }

  /** {@code t[key]} for an integer key. */
  public LuaValue get(long key) {
    return get(new LuaInteger(key));
  }

  /** Whether the table has neither array values nor pairs. */
  public boolean isEmpty() {
    return array.isEmpty() && hash.isEmpty();
  }

  /** Lua's table constructor syntax, with pairs in their order here. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (LuaValue value : array) {
      text.append(text.length() > 1 ? ", " : "").append(value);
    }
    hash.forEach((key, value) -> text.append(text.length() > 1 ? ", " : "").append('[').append(key).append("]=")
        .append(value));
    return text.append('}').toString();
  }

  private static LuaValue normalizedKey(LuaValue key) {
    Objects.requireNonNull(key, "key");
    if (key instanceof LuaNil) {
      throw new IllegalArgumentException("nil cannot be a Lua table key");
    }
    if (key instanceof LuaNumber number) {
      double value = number.value();
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException("NaN cannot be a Lua table key");
      }
      // Lua stores a float key with an integral value in the 64-bit range as that integer
      if (value == Math.rint(value) && value >= -0x1p63 && value < 0x1p63) {
        return new LuaInteger((long) value);
      }
    }
    return key;
  }

  /** Builds a {@link LuaTable}; not safe for use by several threads. */
  public static final class Builder {

    private final List<LuaValue> array = new ArrayList<>();
    private final Map<LuaValue, LuaValue> hash = new LinkedHashMap<>();

    private Builder() {
    }

    /** Appends a value to the array part (nil makes a hole). */
    public Builder add(LuaValue value) {
      array.add(Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds a pair to the hash part. */
    public Builder put(LuaValue key, LuaValue value) {
      hash.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds a pair with a string key given as text. */
    public Builder put(String key, LuaValue value) {
      return put(LuaString.of(key), value);
    }

    /** The table; see {@link LuaTable#LuaTable(List, Map)} for what it refuses. */
    public LuaTable build() {
      return new LuaTable(array, hash);
    }
  }
}
