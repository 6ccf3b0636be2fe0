package io.frpc.skynet;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Writes values in skynet's serialization, choosing each form as {@code lua-seri.c} does. One use; not
 * thread-safe.
 */
final class LuaEncoder {

  private byte[] buffer = new byte[128];
  private int length;

  void write(LuaValue value, int depth) {
    Objects.requireNonNull(value, "a value to pack is null; Lua's nil is LuaNil.NIL");
    if (depth > SkynetPack.MAX_DEPTH) {
      throw new IllegalArgumentException("cannot pack a value inside more than " + SkynetPack.MAX_DEPTH
          + " tables, as skynet cannot");
    }
    if (value instanceof LuaNil) {
      writeByte(SkynetTags.NIL);
    } else if (value instanceof LuaBoolean bool) {
      writeByte(bool.value() ? SkynetTags.TRUE : SkynetTags.FALSE);
    } else if (value instanceof LuaInteger integer) {
      writeInteger(integer.value());
    } else if (value instanceof LuaNumber number) {
      writeByte(SkynetTags.REAL);
      writeLittleEndian(Double.doubleToRawLongBits(number.value()), 8);
    } else if (value instanceof LuaString string) {
      writeString(string.unsafeBytes());
    } else {
      writeTable((LuaTable) value, depth + 1);
    }
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  /** The smallest form for the value, tested in skynet's order: zero, beyond 32 bits, negative, 8, 16, 32 bits. */
  private void writeInteger(long value) {
    if (value == 0) {
      writeByte(SkynetTags.INTEGER_ZERO);
    } else if (value != (int) value) {
      writeByte(SkynetTags.INTEGER_QWORD);
      writeLittleEndian(value, 8);
    } else if (value < 0) {
      writeByte(SkynetTags.INTEGER_DWORD);
      writeLittleEndian(value, 4);
    } else if (value < 0x100) {
      writeByte(SkynetTags.INTEGER_BYTE);
      writeByte((int) value);
    } else if (value < 0x10000) {
      writeByte(SkynetTags.INTEGER_WORD);
      writeLittleEndian(value, 2);
    } else {
      writeByte(SkynetTags.INTEGER_DWORD);
      writeLittleEndian(value, 4);
    }
  }

  private void writeString(byte[] bytes) {
    int size = bytes.length;
    if (size < SkynetTags.MAX_COOKIE) {
      writeByte(SkynetTags.combine(SkynetTags.TYPE_SHORT_STRING, size));
    } else if (size < 0x10000) {
      writeByte(SkynetTags.LONG_STRING_2);
      writeLittleEndian(size, 2);
    } else {
      writeByte(SkynetTags.LONG_STRING_4);
      writeLittleEndian(size, 4);
    }
    ensure(size);
    System.arraycopy(bytes, 0, buffer, length, size);
    length += size;
  }

  /** The array part's size in the tag when it is below 31, else tag 31 and the size as an integer. */
  private void writeTable(LuaTable table, int depth) {
    int size = table.array().size();
    if (size >= SkynetTags.MAX_COOKIE - 1) {
      writeByte(SkynetTags.combine(SkynetTags.TYPE_TABLE, SkynetTags.MAX_COOKIE - 1));
      writeInteger(size);
    } else {
      writeByte(SkynetTags.combine(SkynetTags.TYPE_TABLE, size));
    }
    for (LuaValue value : table.array()) {
      write(value, depth);
    }
    for (Map.Entry<LuaValue, LuaValue> pair : table.hash().entrySet()) {
      write(pair.getKey(), depth);
      write(pair.getValue(), depth);
    }
    writeByte(SkynetTags.NIL);
  }

  private void writeLittleEndian(long value, int bytes) {
    ensure(bytes);
    for (int i = 0; i < bytes; i++) {
      buffer[length++] = (byte) (value >>> (8 * i));
    }
  }

  private void writeByte(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
  }

  private void ensure(int more) {
    if (buffer.length - length < more) {
      long wanted = Math.max((long) length + more, 2L * buffer.length);
      if ((long) length + more > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("packed values exceed the 2 GiB a Java array can hold");
      }
      buffer = Arrays.copyOf(buffer, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
    }
  }
}
