package io.frpc.skynet;

import java.util.List;

/**
 * skynet's Lua serialization ({@code skynet.pack} / {@code skynet.unpack}, skynet's {@code lualib-src/lua-seri.c}),
 * byte for byte: {@link #pack} writes the forms skynet's encoder chooses, so the bytes equal skynet's for the same
 * values (for a table with two or more hash pairs, only when the pairs are in the order skynet's hash table walks
 * them, which a receiver must not rely on); {@link #unpack} reads what skynet writes.
 *
 * <p>Numbers are little-endian, as skynet writes them on the x86 and ARM machines it runs on. Tables nest up to
 * skynet's limit: a value may sit inside at most {@value #MAX_DEPTH} tables, on both sides.
 *
 * <p>Decoding trusts nothing: any malformed input, a table nested too deep, a light userdata (a C pointer of the
 * sending process) or input over the size limit throws {@link SkynetFormatException}, and no length read from the
 * input makes the decoder allocate more than the bytes present can fill. Instances are immutable and thread-safe.
 */
public final class SkynetPack {

  /** How many tables a value may sit inside, as skynet's {@code MAX_DEPTH}. */
  public static final int MAX_DEPTH = 32;
  /** The default largest input {@link #unpack} reads: 16 MiB. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  private final int maxBytes;

  private SkynetPack(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** A serializer that unpacks at most {@link #DEFAULT_MAX_BYTES}. */
  public static SkynetPack create() {
    return new SkynetPack(DEFAULT_MAX_BYTES);
  }

  /** A serializer that refuses to unpack more than {@code maxBytes}. */
  public static SkynetPack withMaxBytes(int maxBytes) {
    return new SkynetPack(maxBytes);
  }

  /** The largest input {@link #unpack} reads. */
  public int maxBytes() {
    return maxBytes;
  }

  /**
   * What {@code skynet.pack(v1, v2, ...)} returns for these values, one after the other.
   *
   * @throws IllegalArgumentException if a value sits inside more than {@value #MAX_DEPTH} tables (skynet: "serialize
   *     can't pack too depth table")
   */
  public byte[] pack(LuaValue... values) {
    return pack(List.of(values));
  }

  /** {@link #pack(LuaValue...)} for a list of values. */
  public byte[] pack(List<? extends LuaValue> values) {
    LuaEncoder encoder = new LuaEncoder();
    for (LuaValue value : values) {
      encoder.write(value, 0);
    }
    return encoder.toByteArray();
  }

  /**
   * The values {@code skynet.unpack} returns for these bytes, in order; empty input gives no values.
   *
   * @throws SkynetFormatException if the bytes are malformed or over a limit
   */
  public List<LuaValue> unpack(byte[] bytes) {
    return unpack(bytes, 0, bytes.length);
  }

  /** {@link #unpack(byte[])} for {@code length} bytes from {@code offset}. */
  public List<LuaValue> unpack(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " outside an array of "
          + bytes.length);
    }
    if (length > maxBytes) {
      throw new SkynetFormatException("skynet.pack data of " + length + " bytes exceeds the limit of " + maxBytes);
    }
    return new LuaDecoder(bytes, offset, length).readAll();
  }
}
