package io.frpc.internal.protocol;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.ObjectReader;

/**
 * Smile's encoding of the scalar values most commands pass and return — null, booleans, {@code int} and
 * {@code long} numbers, ASCII strings (up to 64 characters written, any length read), byte arrays and
 * {@link FrpcBytes} — written and read without Jackson. ({@link PayloadCodec} joins a large direct {@code FrpcBytes}
 * to its frame instead of copying it, and reads one of a large message's pooled chunks as a view it accounts for.)
 *
 * <p>A message of a few such values is a few dozen bytes, but Jackson spends on it a parser or generator, its I/O
 * context, buffers from a recycler, a symbol table and a binding context: most of the CPU and of the garbage of a
 * small call (docs/benchmarks.md). This writes exactly the bytes Jackson writes with frpc's default configuration
 * (a test compares them value by value), and reads a message only when it can read it exactly as Jackson would;
 * for anything else — another value type, a token it does not know, a malformed message — it answers that it did
 * not read it, and the caller asks Jackson, whose result or error is then the answer.
 */
final class ScalarSmile {

  /** What {@link #readValue} answers for a message it leaves to Jackson. */
  static final Object UNREAD = new Object();

  private static final int NULL = 0x21;
  private static final int EMPTY_STRING = 0x20;
  private static final int FALSE = 0x22;
  private static final int TRUE = 0x23;
  private static final int VINT32 = 0x24;
  private static final int VINT64 = 0x25;
  /** Tiny ASCII strings of 1 to 32 bytes: this plus the length minus 1. */
  private static final int TINY_ASCII = 0x40;
  /** Short ASCII strings of 33 to 64 bytes: this plus the length minus 33. */
  private static final int SHORT_ASCII = 0x60;
  private static final int SHORT_ASCII_MAX = 64;
  /** Longer strings: their bytes, then {@link #END_OF_STRING}; Jackson writes them, and reads either, without this. */
  private static final int LONG_ASCII = 0xE0;
  private static final int LONG_UNICODE = 0xE4;
  private static final int END_OF_STRING = 0xFC;
  /** Integers from -16 to 15: this plus their zigzag form. */
  private static final int SMALL_INT = 0xC0;
  private static final int START_ARRAY = 0xF8;
  private static final int END_ARRAY = 0xF9;
  static final int RAW_BINARY = 0xFD;
  /** The flag of a Smile header's fourth byte saying binary values may be raw. */
  static final int RAW_BINARY_IN_HEADER = 0x04;
  /** The flag of a Smile header's fourth byte saying strings may refer back to earlier equal ones. */
  private static final int SHARED_STRINGS_IN_HEADER = 0x02;

  /** The Java types read here, each as Jackson binds it with frpc's default configuration. */
  enum Kind {
    STRING, BYTES, FRPC_BYTES, INT, BOXED_INT, LONG, BOXED_LONG, BOOLEAN, BOXED_BOOLEAN;

    /** The kind of a declared type; null for a type this leaves to Jackson. */
    static Kind of(Class<?> type) {
      if (type == String.class) {
        return STRING;
      } else if (type == byte[].class) {
        return BYTES;
      } else if (type == FrpcBytes.class) {
        return FRPC_BYTES;
      } else if (type == int.class) {
        return INT;
      } else if (type == Integer.class) {
        return BOXED_INT;
      } else if (type == long.class) {
        return LONG;
      } else if (type == Long.class) {
        return BOXED_LONG;
      } else if (type == boolean.class) {
        return BOOLEAN;
      } else if (type == Boolean.class) {
        return BOXED_BOOLEAN;
      }
      return null;
    }
  }

  private final byte[] header;

  private ScalarSmile(byte[] header) {
    this.header = header;
  }

  /**
   * The scalar encoding of a mapper whose document header is {@code header} (its first four bytes), or null when
   * that header announces shared string values, which this does not write, or lacks raw binary values.
   */
  static ScalarSmile forHeader(byte[] header) {
    if (header.length < 4 || (header[3] & SHARED_STRINGS_IN_HEADER) != 0
        || (header[3] & RAW_BINARY_IN_HEADER) == 0) {
      return null;
    }
    return new ScalarSmile(new byte[] {header[0], header[1], header[2], header[3]});
  }

  /**
   * Appends {@code values} to {@code out} as one Smile document of an array; returns false, with {@code out} as it
   * was, when one of them is not a scalar written here or {@code out} cannot take them (Jackson then fails alike).
   */
  boolean writeArray(ByteBuf out, Object[] values) {
    int start = out.writerIndex();
    try {
      out.writeBytes(header).writeByte(START_ARRAY);
      int written = 0;
      while (written < values.length && write(out, values[written])) {
        written++;
      }
      if (written == values.length) {
        out.writeByte(END_ARRAY);
        return true;
      }
    } catch (RuntimeException e) {
      // left to Jackson, which fails alike
    }
    out.writerIndex(start);
    return false;
  }

  /**
   * Appends {@code value} to {@code out} as one Smile document; returns false, with {@code out} as it was, when it
   * is not a scalar written here or {@code out} cannot take it.
   */
  boolean writeValue(ByteBuf out, Object value) {
    int start = out.writerIndex();
    try {
      if (write(out.writeBytes(header), value)) {
        return true;
      }
    } catch (RuntimeException e) {
      // left to Jackson, which fails alike
    }
    out.writerIndex(start);
    return false;
  }

  private static boolean write(ByteBuf out, Object value) {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String text) {
      return writeString(out, text);
    } else if (value instanceof byte[] bytes) {
      writeBinaryHead(out, bytes.length);
      out.writeBytes(bytes);
    } else if (value instanceof FrpcBytes bytes) {
      return writeCopied(out, bytes);
    } else if (value instanceof Integer number) {
      writeInt(out, number);
    } else if (value instanceof Long number) {
      long l = number;
      if (l == (int) l) {
        writeInt(out, (int) l);
      } else {
        out.writeByte(VINT64);
        writeUnsignedVInt(out, (l << 1) ^ (l >> 63));
      }
    } else if (value instanceof Boolean flag) {
      out.writeByte(flag ? TRUE : FALSE);
    } else {
      return false;
    }
    return true;
  }

  private static void writeInt(ByteBuf out, int i) {
    int zigzag = (i << 1) ^ (i >> 31);
    if (zigzag >= 0 && zigzag < 0x20) {
      out.writeByte(SMALL_INT + zigzag);
    } else {
      out.writeByte(VINT32);
      writeUnsignedVInt(out, zigzag & 0xFFFFFFFFL);
    }
  }

  private static boolean writeString(ByteBuf out, String text) {
    int length = text.length();
    if (length > SHORT_ASCII_MAX) {
      // Jackson picks the token of a longer string by the size of its output buffer: left to it
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    if (length == 0) {
      out.writeByte(EMPTY_STRING);
    } else if (length <= 32) {
      out.writeByte(TINY_ASCII + length - 1);
      ByteBufUtil.writeAscii(out, text);
    } else {
      out.writeByte(SHORT_ASCII + length - 33);
      ByteBufUtil.writeAscii(out, text);
    }
    return true;
  }

  /** Copies {@code bytes} in as a raw binary value; false, writing nothing, for one to join to the frame instead. */
  private static boolean writeCopied(ByteBuf out, FrpcBytes bytes) {
    ByteBuf content = bytes.retainedBuffer();
    try {
      if (joined(content)) {
        return false;
      }
      writeBinaryHead(out, content.readableBytes());
      out.writeBytes(content);
      return true;
    } finally {
      content.release();
    }
  }

  /** How many bytes of {@code bytes} a frame takes in as a copy: none when they are joined to it. */
  static int copiedLength(FrpcBytes bytes) {
    int length = bytes.length();
    if (length < PayloadCodec.SHARED_MIN_BYTES) {
      return length;
    }
    ByteBuf content = bytes.retainedBuffer();
    try {
      return joined(content) ? 0 : length;
    } finally {
      content.release();
    }
  }

  /**
   * Whether a binary value's {@code content} is best joined to a frame as it is rather than copied into it: when it
   * is large and direct (the socket would copy heap memory anyway).
   */
  static boolean joined(ByteBuf content) {
    return content.readableBytes() >= PayloadCodec.SHARED_MIN_BYTES && content.isDirect();
  }

  /**
   * The unsigned variable-length number at {@code index} of {@code in}, whose readable bytes end at {@code end}: at
   * most five bytes (as Jackson reads an int or a length), its low 32 bits as Jackson's int arithmetic keeps them in
   * the low half of the result, and how many bytes it took in the high half; -1 when it is longer or cut off.
   */
  static long readUnsignedVInt(ByteBuf in, int index, int end) {
    long value = 0;
    for (int i = 0; i < 5 && index + i < end; i++) {
      int b = in.getUnsignedByte(index + i);
      if (b >= 0x80) {
        return (long) (i + 1) << 32 | ((value << 6) + (b & 0x3F)) & 0xFFFFFFFFL;
      }
      value = (value << 7) + b;
    }
    return -1;
  }

  /** The token and length that precede a raw binary value's bytes. */
  static void writeBinaryHead(ByteBuf out, int length) {
    out.writeByte(RAW_BINARY);
    writeUnsignedVInt(out, length);
  }

  /**
   * Smile's variable-length form of an unsigned number (lengths, zigzagged integers): 7 bits a byte, high ones
   * first, the last byte 6 bits with bit 7 set.
   */
  static void writeUnsignedVInt(ByteBuf out, long value) {
    long rest = value >>> 6;
    for (int group = (70 - Long.numberOfLeadingZeros(rest)) / 7 - 1; group >= 0; group--) {
      out.writeByte((int) (rest >>> (7 * group)) & 0x7F);
    }
    out.writeByte(0x80 | (int) (value & 0x3F));
  }

  /**
   * Reads a Smile document of an array of values, one for each of {@code readers} as it would; null when it leaves
   * the message to Jackson.
   */
  static Object[] readArray(ByteBuf in, ObjectReader[] readers) {
    Cursor cursor = new Cursor(in);
    if (!cursor.header() || cursor.next() != START_ARRAY) {
      return null;
    }
    Object[] values = new Object[readers.length];
    for (int i = 0; i < readers.length; i++) {
      Kind kind = Kind.of(readers[i].getValueType().getRawClass());
      Object value = kind == null ? UNREAD : cursor.value(kind);
      if (value == UNREAD) {
        return null;
      }
      values[i] = value;
    }
    return cursor.next() == END_ARRAY && cursor.atEnd() ? values : null;
  }

  /** Reads a Smile document of one value of {@code kind}; {@link #UNREAD} when it leaves the message to Jackson. */
  static Object readValue(ByteBuf in, Kind kind) {
    Cursor cursor = new Cursor(in);
    if (!cursor.header()) {
      return UNREAD;
    }
    Object value = cursor.value(kind);
    return cursor.atEnd() ? value : UNREAD;
  }

  /** A position in a message; every read past its end answers -1, which no token is. */
  private static final class Cursor {

    private final ByteBuf in;
    private final int end;
    private int at;
    private boolean rawBinary;

    Cursor(ByteBuf in) {
      this.in = in;
      this.at = in.readerIndex();
      this.end = in.writerIndex();
    }

    int next() {
      return at < end ? in.getUnsignedByte(at++) : -1;
    }

    boolean atEnd() {
      return at == end;
    }

    /** Reads the header Jackson writes and requires: ":)\n" and a version 0 flags byte. */
    boolean header() {
      if (next() != ':' || next() != ')' || next() != '\n') {
        return false;
      }
      int flags = next();
      if (flags < 0 || (flags & 0xF0) != 0) {
        return false;
      }
      rawBinary = (flags & RAW_BINARY_IN_HEADER) != 0;
      return true;
    }

    /** The next value, bound to {@code kind} as Jackson binds that token; {@link #UNREAD} for any other. */
    Object value(Kind kind) {
      int token = next();
      if (token == NULL) {
        // a primitive's default for a null is a deserialization feature: left to Jackson
        return switch (kind) {
          case INT, LONG, BOOLEAN -> UNREAD;
          default -> null;
        };
      }
      return switch (kind) {
        case STRING -> string(token);
        case BYTES -> token == RAW_BINARY && rawBinary ? bytes() : UNREAD;
        // a view of a heap payload holds nothing; one of pooled chunks is the codec's to account for
        case FRPC_BYTES -> token == RAW_BINARY && rawBinary && in.hasArray() ? view() : UNREAD;
        case INT, BOXED_INT -> integer(token);
        case LONG, BOXED_LONG -> token == VINT64 ? longValue() : widened(integer(token));
        case BOOLEAN, BOXED_BOOLEAN -> token == TRUE ? Boolean.TRUE : token == FALSE ? Boolean.FALSE : UNREAD;
      };
    }

    private static Object widened(Object integer) {
      return integer instanceof Integer i ? Long.valueOf(i) : integer;
    }

    private Object integer(int token) {
      if (token >= SMALL_INT && token < SMALL_INT + 0x20) {
        return zigzag(token - SMALL_INT);
      }
      if (token != VINT32) {
        return UNREAD;
      }
      long value = unsignedVInt();
      return value < 0 ? UNREAD : zigzag((int) value);
    }

    private static Integer zigzag(int value) {
      return (value >>> 1) ^ -(value & 1);
    }

    private Object longValue() {
      // Jackson reads a long's first four bytes as 7 bits each, whatever their high bit: accepted only when clear
      for (int i = 0; i < 4; i++) {
        if (at + i >= end || in.getByte(at + i) < 0) {
          return UNREAD;
        }
      }
      long value = 0;
      for (int i = 0; i < 11; i++) {
        int b = next();
        if (b < 0) {
          return UNREAD;
        }
        if (b >= 0x80) {
          value = (value << 6) + (b & 0x3F);
          return (value >>> 1) ^ -(value & 1);
        }
        value = (value << 7) + b;
      }
      return UNREAD;
    }

    /** The unsigned variable-length number that follows (see {@link #readUnsignedVInt}); -1 when there is none. */
    private long unsignedVInt() {
      long read = readUnsignedVInt(in, at, end);
      if (read < 0) {
        return -1;
      }
      at += (int) (read >>> 32);
      return read & 0xFFFFFFFFL;
    }

    /** The length of the raw binary value that follows, every byte of which arrived; -1 otherwise. */
    private int binaryLength() {
      long length = unsignedVInt();
      return length < 0 || length > end - at ? -1 : (int) length;
    }

    private Object bytes() {
      int length = binaryLength();
      if (length < 0) {
        return UNREAD;
      }
      byte[] bytes = new byte[length];
      in.getBytes(at, bytes);
      at += length;
      return bytes;
    }

    private Object view() {
      int length = binaryLength();
      if (length < 0) {
        return UNREAD;
      }
      FrpcBytes view = FrpcBytes.wrap(in.array(), in.arrayOffset() + at, length);
      at += length;
      return view;
    }

    private Object string(int token) {
      if (token == EMPTY_STRING) {
        return "";
      }
      if (token >= TINY_ASCII && token < SHORT_ASCII + 0x20) {
        return ascii(at, (token & 0x1F) + (token < SHORT_ASCII ? 1 : 33), 0);
      }
      if (token != LONG_ASCII && token != LONG_UNICODE) {
        return UNREAD;
      }
      // either token's bytes, when all ASCII, are the string Jackson decodes
      int terminator = in.indexOf(at, end, (byte) END_OF_STRING);
      return terminator < 0 ? UNREAD : ascii(at, terminator - at, 1);
    }

    /** The ASCII string of {@code length} bytes from {@code from}, then {@code skip} more bytes passed over. */
    private Object ascii(int from, int length, int skip) {
      if (length > end - from) {
        return UNREAD;
      }
      for (int i = from; i < from + length; i++) {
        if (in.getByte(i) < 0) {
          return UNREAD;
        }
      }
      at = from + length + skip;
      return in.toString(from, length, StandardCharsets.US_ASCII);
    }
  }
}
