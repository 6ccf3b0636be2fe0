package io.frpc.skynet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads skynet's serialization as {@code lua-seri.c}'s {@code luaseri_unpack} does, refusing with
 * {@link SkynetFormatException} what it would refuse and, beyond it, what would make Java allocate more than the input
 * holds. One use; not thread-safe.
 *
 * <p>Where skynet is lenient, so is this decoder: any non-zero boolean cookie is {@code true}, a nil's cookie is
 * ignored, a long string may be short, a table's array size may take the "size follows" form when small. Where
 * skynet would misbehave, this decoder refuses: a negative or oversized array size (skynet truncates it to a C
 * {@code int} and allocates it), a NaN key (Lua raises "table index is NaN").
 */
final class LuaDecoder {

  private final byte[] input;
  private final int start;
  private final int end;
  private int position;

  LuaDecoder(byte[] input, int offset, int length) {
    this.input = input;
    this.start = offset;
    this.end = offset + length;
    this.position = offset;
  }

  List<LuaValue> readAll() {
    List<LuaValue> values = new ArrayList<>();
    while (position < end) {
      values.add(readValue(readByte(), 0));
    }
    return values;
  }

  /** The value whose tag is {@code tag}; {@code depth} is the number of tables around it. */
  private LuaValue readValue(int tag, int depth) {
    int cookie = tag >>> 3;
    switch (tag & 7) {
      case SkynetTags.TYPE_NIL:
        return LuaNil.NIL;
      case SkynetTags.TYPE_BOOLEAN:
        return cookie != 0 ? LuaBoolean.TRUE : LuaBoolean.FALSE;
      case SkynetTags.TYPE_NUMBER:
        if (cookie == SkynetTags.NUMBER_REAL) {
          return new LuaNumber(Double.longBitsToDouble(readLittleEndian(8)));
        }
        return new LuaInteger(readInteger(cookie));
      case SkynetTags.TYPE_USERDATA:
        throw malformed(position - 1, "a light userdata (a C pointer of the sending process), which has no meaning"
            + " outside it");
      case SkynetTags.TYPE_SHORT_STRING:
        return readString(cookie);
      case SkynetTags.TYPE_LONG_STRING:
        if (cookie == 2) {
          return readString(readLittleEndian(2));
        }
        if (cookie == 4) {
          return readString(readLittleEndian(4));
        }
        throw malformed(position - 1, "a long string with a length of " + cookie + " bytes (2 or 4 expected)");
      case SkynetTags.TYPE_TABLE:
        return readTable(cookie, depth + 1);
      default:
        throw malformed(position - 1, "unknown type 7");
    }
  }

  private long readInteger(int cookie) {
    switch (cookie) {
      case SkynetTags.NUMBER_ZERO:
        return 0;
      case SkynetTags.NUMBER_BYTE:
        return readLittleEndian(1);
      case SkynetTags.NUMBER_WORD:
        return readLittleEndian(2);
      case SkynetTags.NUMBER_DWORD:
        return (int) readLittleEndian(4);
      case SkynetTags.NUMBER_QWORD:
        return readLittleEndian(8);
      default:
        throw malformed(position - 1, "a number of unknown subtype " + cookie);
    }
  }

  private LuaString readString(long size) {
    int at = position;
    if (size > end - position) {
      throw malformed(at, "a string of " + size + " bytes where " + (end - position) + " remain");
    }
    byte[] bytes = new byte[(int) size];
    System.arraycopy(input, position, bytes, 0, bytes.length);
    position += bytes.length;
    return bytes.length == 0 ? LuaString.EMPTY : new LuaString(bytes);
  }

  /** A table whose contents sit inside {@code depth} tables. */
  private LuaTable readTable(int cookie, int depth) {
    int at = position - 1;
    long size = cookie;
    if (cookie == SkynetTags.MAX_COOKIE - 1) {
      int tag = readByte();
      if ((tag & 7) != SkynetTags.TYPE_NUMBER || tag >>> 3 == SkynetTags.NUMBER_REAL) {
        throw malformed(position - 1, "a table's array size that is not an integer");
      }
      size = readInteger(tag >>> 3);
    }
    // every value takes at least one byte: a size beyond the remaining bytes cannot be honest
    if (size < 0 || size > end - position) {
      throw malformed(at, "a table with an array part of " + size + " values where " + (end - position)
          + " bytes remain");
    }
    if (size > 0 && depth > SkynetPack.MAX_DEPTH) {
      throw tooDeep(at);
    }
    List<LuaValue> array = new ArrayList<>((int) Math.min(size, 1024));
    for (long i = 0; i < size; i++) {
      array.add(readValue(readByte(), depth));
    }
    Map<LuaValue, LuaValue> hash = new LinkedHashMap<>();
    while (true) {
      int keyAt = position;
      int tag = readByte();
      if ((tag & 7) == SkynetTags.TYPE_NIL) {
        break;
      }
      if (depth > SkynetPack.MAX_DEPTH) {
        throw tooDeep(at);
      }
      LuaValue key = readValue(tag, depth);
      LuaValue value = readValue(readByte(), depth);
      store(array, hash, luaKey(key, keyAt), value);
    }
    return new LuaTable(array, hash);
  }

  /** What Lua's {@code rawset} does: a slot of the array part is replaced, a nil value removes the pair. */
  private static void store(List<LuaValue> array, Map<LuaValue, LuaValue> hash, LuaValue key, LuaValue value) {
    if (key instanceof LuaInteger index && index.value() >= 1 && index.value() <= array.size()) {
      array.set((int) index.value() - 1, value);
    } else if (value instanceof LuaNil) {
      hash.remove(key);
    } else {
      hash.put(key, value);
    }
  }

  /** The key as Lua stores it: a float with an integral value becomes that integer; NaN is refused, as by Lua. */
  private LuaValue luaKey(LuaValue key, int at) {
    if (key instanceof LuaNumber number) {
      double value = number.value();
      if (Double.isNaN(value)) {
        throw malformed(at, "a NaN table key");
      }
      if (value == Math.rint(value) && value >= -0x1p63 && value < 0x1p63) {
        return new LuaInteger((long) value);
      }
    }
    return key;
  }

  private long readLittleEndian(int bytes) {
    if (end - position < bytes) {
      throw malformed(position, bytes + " bytes expected where " + (end - position) + " remain");
    }
    long value = 0;
    for (int i = 0; i < bytes; i++) {
      value |= (input[position++] & 0xFFL) << (8 * i);
    }
    return value;
  }

  private int readByte() {
    if (position >= end) {
      throw malformed(position, "the data ends inside a value");
    }
    return input[position++] & 0xFF;
  }

  private SkynetFormatException tooDeep(int at) {
    return malformed(at, "a table with contents inside more than " + SkynetPack.MAX_DEPTH + " tables");
  }

  private SkynetFormatException malformed(int at, String what) {
    return new SkynetFormatException("invalid skynet.pack data at byte " + (at - start) + " of " + (end - start)
        + ": " + what);
  }
}
