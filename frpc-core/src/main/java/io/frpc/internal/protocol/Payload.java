package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Encoded bytes of arguments or a result, still undecoded: the I/O thread hands them over as they came
 * and the thread that needs the values decodes them once.
 *
 * <p>A small message's payload is a heap array, left to the garbage collector. A large (fragmented) message's
 * payload stays in the pooled buffers it was reassembled into, and keeps its share of the node's
 * {@link InboundBudget} charged, until it is {@linkplain #release() released}: whoever takes a payload from the
 * I/O thread releases it once, after decoding it or when dropping it. Counting references means nothing for an
 * array payload (it reports one, and releasing it does nothing), so code that handles both releases both.
 */
public final class Payload implements ReferenceCounted {

  private static final AtomicIntegerFieldUpdater<Payload> REFERENCES =
      AtomicIntegerFieldUpdater.newUpdater(Payload.class, "references");

  private final byte[] bytes;
  private final int offset;
  private final int length;
  /** The bytes of a reassembled message (or of a part of one); null for an array payload. */
  private final ByteBuf buffer;
  /** Where the memory of {@link #buffer} was charged, when this payload owns it; null otherwise. */
  private final InboundBudget budget;
  private final long charged;
  private volatile int references = 1;

  /** A payload of {@code length} bytes of {@code bytes} from {@code offset}. */
  public Payload(byte[] bytes, int offset, int length) {
    this(bytes, offset, length, null, null, 0);
  }

  private Payload(byte[] bytes, int offset, int length, ByteBuf buffer, InboundBudget budget, long charged) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    this.buffer = buffer;
    this.budget = budget;
    this.charged = charged;
  }

  /**
   * A payload owning {@code buffer} (its readable bytes) and {@code charged} bytes of {@code budget}, both given back
   * when it is released.
   */
  static Payload owning(ByteBuf buffer, InboundBudget budget, long charged) {
    return new Payload(null, 0, buffer.readableBytes(), buffer, budget, charged);
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
        : new Payload(null, 0, partLength, buffer.slice(buffer.readerIndex() + index, partLength), null, 0);
  }

  @Override
  public int refCnt() {
    return budget == null ? 1 : references;
  }

  @Override
  public Payload retain() {
    return retain(1);
  }

  /** Adds {@code count} owners, each of which releases it once. */
  @Override
  public Payload retain(int count) {
    if (budget != null && count > 0) {
      REFERENCES.addAndGet(this, count);
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

  /** Gives up one owner's claim; the last one frees the memory and the budget it was charged to. */
  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int count) {
    if (budget == null) {
      return false;
    }
    int left = REFERENCES.addAndGet(this, -count);
    if (left < 0) {
      throw new IllegalStateException("payload released more often than retained");
    }
    if (left > 0) {
      return false;
    }
    buffer.release();
    budget.release(charged);
    return true;
  }
}
