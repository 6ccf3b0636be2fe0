package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * Encoded bytes of arguments or a result, still undecoded: the I/O thread hands them over as they came
 * and the thread that needs the values decodes them once.
 *
 * <p>A small message's payload is a heap array, left to the garbage collector. A large (fragmented) message's
 * payload shares the pooled chunks it was reassembled into, which keep their share of the node's
 * {@link InboundBudget} charged until the last claim on them is given up ({@link ChargedMessage}): whoever takes a
 * payload from the I/O thread releases it once, after decoding it or when dropping it. Counting references means
 * nothing for an array payload (it reports one, and releasing it does nothing), so code that handles both releases
 * both.
 */
public final class Payload implements ReferenceCounted {

  private final byte[] bytes;
  private final int offset;
  private final int length;
  /** The bytes of a reassembled message (or of a part of one); null for an array payload. */
  private final ByteBuf buffer;
  /** Whether this payload holds a claim on {@link #buffer}, given up when it is released. */
  private final boolean owner;

  /** A payload of {@code length} bytes of {@code bytes} from {@code offset}. */
  public Payload(byte[] bytes, int offset, int length) {
    this(bytes, offset, length, null, false);
  }

  private Payload(byte[] bytes, int offset, int length, ByteBuf buffer, boolean owner) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    this.buffer = buffer;
    this.owner = owner;
  }

  /** A payload owning one claim on {@code buffer} (its readable bytes), given up when it is released. */
  static Payload owning(ByteBuf buffer) {
    return new Payload(null, 0, buffer.readableBytes(), buffer, true);
  }

  /** Number of bytes. */
  public int length() {
    return length;
  }

  /** Whether the bytes are in a heap array ({@link #array()}, {@link #arrayOffset()}) rather than pooled buffers. */
  boolean hasArray() {
    return bytes != null;
  }

  byte[] array() {
    return bytes;
  }

  int arrayOffset() {
    return offset;
  }

  /** The bytes as a buffer, sharing them (not a copy, not retained): valid until this payload is released. */
  public ByteBuf view() {
    return bytes != null ? Unpooled.wrappedBuffer(bytes, offset, length) : buffer.slice();
  }

  /**
   * {@code length} bytes from {@code index}, sharing this payload's memory: valid until this payload is released,
   * and never released itself (e.g. one instance's part of a broadcast reply).
   */
  public Payload part(int index, int partLength) {
    if (index < 0 || partLength < 0 || index + partLength > length) {
      throw new IndexOutOfBoundsException("part " + index + "+" + partLength + " of " + length + " bytes");
    }
    return bytes != null ? new Payload(bytes, offset + index, partLength)
        : new Payload(null, 0, partLength, buffer.slice(buffer.readerIndex() + index, partLength), false);
  }

  @Override
  public int refCnt() {
    return owner ? buffer.refCnt() : 1;
  }

  @Override
  public Payload retain() {
    return retain(1);
  }

  /** Adds {@code count} owners, each of which releases it once. */
  @Override
  public Payload retain(int count) {
    if (owner) {
      buffer.retain(count);
    }
    return this;
  }

  @Override
  public Payload touch() {
    return this;
  }

  @Override
  public Payload touch(Object hint) {
    return this;
  }

  /** Gives up one owner's claim; the last claim on the memory frees it and the budget it was charged to. */
  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int count) {
    return owner && buffer.release(count);
  }
}
