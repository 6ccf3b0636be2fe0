package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The names a connection reads again and again — modules, instances, commands, channels — decoded once and then
 * handed out as the same {@code String}: no copy and no new string per request, and lookups by name find its hash
 * already computed and an equal key by identity. One per connection, used by its I/O thread only.
 *
 * <p>A fixed number of slots, a name's slot chosen by a hash of its bytes: a peer sending ever new names only
 * replaces entries, so the cache never holds more than {@value #SLOTS} names of at most 255 bytes.
 */
public final class NameCache {

  private static final int SLOTS = 64;

  private final byte[][] bytes = new byte[SLOTS][];
  private final String[] names = new String[SLOTS];

  /** The UTF-8 string of the {@code length} bytes at {@code in}'s reader index, which it passes over. */
  String read(ByteBuf in, int length) {
    int from = in.readerIndex();
    int hash = length;
    for (int i = from; i < from + length; i++) {
      hash = 31 * hash + in.getByte(i);
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    byte[] known = bytes[slot];
    in.skipBytes(length);
    if (known != null && known.length == length && sameBytes(in, from, known)) {
      return names[slot];
    }
    byte[] copy = new byte[length];
    in.getBytes(from, copy);
    String name = new String(copy, StandardCharsets.UTF_8);
    bytes[slot] = copy;
    names[slot] = name;
    return name;
  }

  private static boolean sameBytes(ByteBuf in, int from, byte[] known) {
    for (int i = 0; i < known.length; i++) {
      if (in.getByte(from + i) != known[i]) {
        return false;
      }
    }
    return true;
  }
}
