package io.frpc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes moved without copies: a parameter, result or record field type for applications that move blobs (files,
 * snapshots, replays, media) rather than values. Where a {@code byte[]} is copied once out of the received message,
 * a {@code FrpcBytes} argument or result is a read-only view of the received bytes themselves (one under 16 KiB
 * inside a large message: of a copy, which holds no pooled memory), and one a command returns or a caller passes at
 * the top level (a whole result or argument) is written from the memory it views.
 * A command that answers with the {@code FrpcBytes} it received echoes it without copying a byte.
 *
 * <p><b>Lifetime.</b> A received view holds the pooled memory it was received into, and that memory counts against
 * the receiving node's {@code frpc.max-inbound-bytes} until the view is closed:
 * <ul>
 *   <li>an argument is closed by frpc when the command returns; call {@link #retain()} to keep it longer, and close
 *       what you retained;</li>
 *   <li>a result belongs to the caller, who closes it ({@code try (FrpcBytes blob = call…)});</li>
 *   <li>a {@code FrpcBytes} a command returns is closed by frpc once its reply is encoded.</li>
 * </ul>
 * Using a closed view throws {@link IllegalStateException}. A view that is never closed is freed when the garbage
 * collector finds it unreachable, with a warning: until then its memory and its share of the budget stay taken, so
 * a node that leaks views stops accepting large messages.
 *
 * <p>A caller may close the views it passes as soon as {@code call…}/{@code send…} returned: the call keeps views of
 * its own until it is done (a wait for a node, a retry or a hedge encodes the arguments again). Views made by
 * {@link #wrap(byte[])} or {@link #wrap(ByteBuffer)} share the caller's memory: it must not change until the call is
 * done, or for a result until the command returned. Heap memory is copied once into the frame on its way out (a
 * socket copies heap memory anyway); direct memory (received views, direct buffers) is written as it is. Instances
 * are thread-safe; equality is by content.
 */
public final class FrpcBytes implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FrpcBytes.class);
  /** One for the JVM, like the garbage collector it hooks into; it holds no node's state. */
  private static final Cleaner LEAKS = Cleaner.create();
  private static final AtomicLong LEAKED = new AtomicLong();

  private final ByteBuf bytes;
  /** Releases {@link #bytes} once, when closed or when found unreachable; null for unpooled heap memory. */
  private final Release release;
  private final Cleaner.Cleanable cleanable;
  private volatile boolean closed;

  private FrpcBytes(ByteBuf bytes) {
    this.bytes = bytes;
    if (bytes.hasArray() && bytes.alloc() instanceof UnpooledByteBufAllocator) {
      this.release = null;
      this.cleanable = null;
    } else {
      this.release = new Release(bytes);
      this.cleanable = LEAKS.register(this, release);
    }
  }

  /** A view of {@code bytes}, not a copy: the array must not change until written. */
  public static FrpcBytes wrap(byte[] bytes) {
    return new FrpcBytes(Unpooled.wrappedBuffer(Objects.requireNonNull(bytes, "bytes")));
  }

  /** A view of {@code length} bytes of {@code bytes} from {@code offset}, not a copy. */
  public static FrpcBytes wrap(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(bytes, "bytes").length);
    return new FrpcBytes(Unpooled.wrappedBuffer(bytes, offset, length));
  }

  /** A view of {@code buffer} from its position to its limit, not a copy; its position is left as it is. */
  public static FrpcBytes wrap(ByteBuffer buffer) {
    return new FrpcBytes(Unpooled.wrappedBuffer(Objects.requireNonNull(buffer, "buffer").slice()));
  }

  /**
   * A view of {@code buffer}'s readable bytes that takes over one reference to it: the view releases it once when
   * closed. For applications that hold their bytes in Netty buffers: direct ones are written without a copy.
   */
  public static FrpcBytes wrap(ByteBuf buffer) {
    Objects.requireNonNull(buffer, "buffer");
    return new FrpcBytes(buffer.slice());
  }

  /** Number of bytes. */
  public int length() {
    return open().readableBytes();
  }

  /** The byte at {@code index}. */
  public byte getByte(int index) {
    ByteBuf view = open();
    Objects.checkIndex(index, view.readableBytes());
    return view.getByte(view.readerIndex() + index);
  }

  /** Copies {@code length} bytes from {@code index} into {@code target} from {@code targetOffset}. */
  public void getBytes(int index, byte[] target, int targetOffset, int length) {
    ByteBuf view = open();
    Objects.checkFromIndexSize(index, length, view.readableBytes());
    view.getBytes(view.readerIndex() + index, target, targetOffset, length);
  }

  /** A copy of the bytes, which stays valid after this view is closed. */
  public byte[] toByteArray() {
    return ByteBufUtil.getBytes(open());
  }

  /**
   * The bytes as read-only NIO buffers, in order, sharing this view's memory (valid until it is closed): one buffer
   * for a message up to {@code frpc.fragment-size}, one per chunk of pooled memory for a larger one. For gathering
   * writes to files and sockets.
   */
  public ByteBuffer[] asReadOnlyBuffers() {
    ByteBuffer[] buffers = open().nioBuffers();
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = buffers[i].asReadOnlyBuffer();
    }
    return buffers;
  }

  /** A stream of the bytes, reading this view's memory: valid until it is closed. */
  public InputStream newInputStream() {
    return new ByteBufInputStream(open().duplicate());
  }

  /**
   * Another view of the same memory, which keeps it until this one and it are both closed: how a command keeps an
   * argument after it returns, or hands it to another thread.
   */
  public FrpcBytes retain() {
    return new FrpcBytes(open().retainedSlice());
  }

  /** Gives this view's memory back (a no-op for views of heap arrays); once, however often it is called. */
  @Override
  public void close() {
    closed = true;
    if (cleanable != null) {
      release.closed = true;
      cleanable.clean();
    }
  }

  /**
   * The bytes as a read-only Netty buffer sharing this view's memory with a reference of its own, which the caller
   * releases (it stays valid when this view is closed). For applications that pass them on with Netty, and for
   * frpc's encoder, which writes them this way.
   */
  public ByteBuf retainedBuffer() {
    return open().retainedSlice().asReadOnly();
  }

  private ByteBuf open() {
    if (closed) {
      throw new IllegalStateException("this FrpcBytes was closed (frpc closes a command's arguments when it returns "
          + "- retain() keeps one - and a view a command returns once its reply is encoded)");
    }
    return bytes;
  }

  /** Equal to a view of the same bytes; a closed view only to itself. */
  @Override
  public boolean equals(Object other) {
    return this == other || other instanceof FrpcBytes that && !closed && !that.closed
        && ByteBufUtil.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return closed ? System.identityHashCode(this) : ByteBufUtil.hashCode(bytes);
  }

  @Override
  public String toString() {
    return closed ? "FrpcBytes[closed]" : "FrpcBytes[" + bytes.readableBytes() + " bytes]";
  }

  /** Frees a view's memory: when its owner closes it, or when the garbage collector finds it left unclosed. */
  private static final class Release implements Runnable {
    private final ByteBuf bytes;
    volatile boolean closed;

    Release(ByteBuf bytes) {
      this.bytes = bytes;
    }

    @Override
    public void run() {
      if (!closed) {
        long count = LEAKED.incrementAndGet();
        // first, then at each power of two: a leak in a hot path is said, not repeated per call
        if (Long.bitCount(count) == 1) {
          log.warn("{} FrpcBytes view(s) of {} bytes and others were never closed; their memory and inbound budget "
              + "stayed taken until garbage collection. Close results, and what you retain().", count,
              bytes.readableBytes());
        }
      }
      bytes.release();
    }
  }
}
