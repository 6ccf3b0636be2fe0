package io.frpc.internal.protocol;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.CompositeByteBuf;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.sym.PropertyNameMatcher;
import tools.jackson.core.util.JsonParserDelegate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.dataformat.smile.SmileFactory;
import tools.jackson.dataformat.smile.SmileMapper;
import tools.jackson.dataformat.smile.SmileWriteFeature;

/**
 * Encodes arguments and results with Jackson Smile into their declared types. Values are bound by the
 * receiver's declared parameter or result types: no default typing, no class names from the wire.
 * Unknown properties are ignored so nodes of different versions can talk during a rolling upgrade.
 */
public final class PayloadCodec {

  /**
   * A {@link FrpcBytes} value of direct memory this large is written from it rather than copied, and one received
   * in pooled memory is a view of it rather than of a copy.
   */
  static final int SHARED_MIN_BYTES = 16 * 1024;

  /** The default {@code frpc.max-message-tokens}. */
  public static final int DEFAULT_MAX_TOKENS = 1_000_000;

  private final SmileMapper mapper;
  private final SmileMapper control;
  /** Whether {@link #mapper} writes binary values raw (and says so in its header): they can be joined as they are. */
  private final boolean rawBinary;
  /** Writes an argument array, each element by its runtime type. */
  private final ObjectWriter argumentsWriter;
  /** Writes and reads messages of scalars without Jackson; null for a mapper of the application's. */
  private final ScalarSmile scalars;
  /** Tokens one message may hold when Jackson reads it ({@code frpc.max-message-tokens}). */
  private final int maxTokens;

  /** A codec with frpc's default Smile configuration. */
  public PayloadCodec() {
    this(DEFAULT_MAX_TOKENS);
  }

  /**
   * A codec with frpc's default Smile configuration that fails to decode a message of more than {@code maxTokens}
   * tokens.
   */
  public PayloadCodec(int maxTokens) {
    this(defaultMapperBuilder().build(), true, maxTokens);
  }

  /**
   * A codec encoding arguments and results with {@code mapper}, for applications that register their own
   * Jackson modules (frpc's own records, handshakes and errors, keep frpc's configuration); it fails to decode a
   * message of more than {@code maxTokens} tokens.
   */
  public PayloadCodec(SmileMapper mapper, int maxTokens) {
    this(mapper, false, maxTokens);
  }

  /**
   * @param ownMapper whether {@code mapper} is frpc's default one, whose scalars are written and read without
   *                  Jackson: an application's modules may bind even a {@code String} their own way
   */
  private PayloadCodec(SmileMapper mapper, boolean ownMapper, int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("max-message-tokens must be positive but was " + maxTokens);
    }
    this.mapper = mapper;
    this.maxTokens = maxTokens;
    byte[] nothing = mapper.writeValueAsBytes(null);
    this.argumentsWriter = mapper.writer();
    this.rawBinary = nothing.length == 5 && nothing[0] == ':' && nothing[1] == ')' && nothing[2] == '\n'
        && (nothing[3] & ScalarSmile.RAW_BINARY_IN_HEADER) != 0;
    this.scalars = ownMapper && rawBinary ? ScalarSmile.forHeader(nothing) : null;
    // A newer peer may add fields or leave out ones this version knows: neither may break a connection.
    this.control = defaultMapperBuilder()
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .build();
  }

  /** frpc's Smile configuration, to be adjusted by applications and passed to {@link #PayloadCodec(SmileMapper, int)}. */
  public static SmileMapper.Builder defaultMapperBuilder() {
    // Arguments are bound element by element from one array, so a value is always followed by more tokens.
    // Binary travels raw: frames are length-prefixed, so Smile's 7-bit escaping would only cost CPU and size.
    // Buffers are recycled per thread: every call creates a generator and a parser on the thread at hand.
    // byte[] and ByteBuffer values are read from the payload in one copy (BinaryValues).
    return SmileMapper.builder(SmileFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
        .addModule(BinaryValues.module())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(SmileWriteFeature.ENCODE_BINARY_AS_7BIT)
        // The shared-name table (272 B per generator) pays off only for many equal property names in one
        // message; most calls carry a few arguments and one result, so it was pure allocation.
        .disable(SmileWriteFeature.CHECK_SHARED_NAMES);
  }

  /** A reader for values of the given Java type, generics included. */
  public ObjectReader reader(Type type) {
    return mapper.readerFor(mapper.constructType(type));
  }

  /** A reader for values of the given type reference. */
  public ObjectReader reader(TypeReference<?> type) {
    return mapper.readerFor(type);
  }

  /** A writer for values of the given declared Java type. */
  public ObjectWriter writer(Type type) {
    return mapper.writerFor(mapper.constructType(type));
  }

  /**
   * Appends {@code args} to {@code out} as one Smile array. {@link FrpcBytes} arguments are written from their own
   * memory where it is direct: the frame returned is then a composite of {@code out} and that memory.
   * On failure {@code out} is released.
   */
  public ByteBuf writeArguments(ByteBuf out, Object[] args) {
    if (scalars != null && scalars.writeArray(out, args)) {
      return out;
    }
    if (!rawBinary || !containsBytes(args)) {
      return written(out, argumentsWriter, args);
    }
    JoiningStream joining = new JoiningStream(out);
    try (JsonGenerator generator = mapper.createGenerator(joining)) {
      generator.writeStartArray();
      for (Object arg : args) {
        if (arg instanceof FrpcBytes bytes) {
          // inside an array Smile writes nothing between values: the value can go straight to the stream
          generator.flush();
          joining.writeBinary(bytes);
        } else {
          mapper.writeValue(generator, arg);
        }
      }
      generator.writeEndArray();
    } catch (RuntimeException e) {
      joining.release();
      throw e;
    }
    return joining.frame();
  }

  /**
   * Appends {@code value} to {@code out}: a {@link FrpcBytes} from its own memory where it is direct, the
   * frame returned then being a composite of {@code out} and that memory. On failure {@code out} is released.
   */
  public ByteBuf writeValue(ByteBuf out, ObjectWriter writer, Object value) {
    if (scalars != null && scalars.writeValue(out, value)) {
      return out;
    }
    if (value instanceof FrpcBytes bytes && rawBinary) {
      JoiningStream joining = new JoiningStream(out);
      try (JsonGenerator generator = mapper.createGenerator(joining)) {
        generator.flush();
        joining.writeBinary(bytes);
      } catch (RuntimeException e) {
        joining.release();
        throw e;
      }
      return joining.frame();
    }
    return written(out, writer, value);
  }

  /** {@code out} with {@code value} appended by {@code writer}; released on failure. */
  private static ByteBuf written(ByteBuf out, ObjectWriter writer, Object value) {
    try {
      writer.writeValue(stream(out), value);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  private static boolean containsBytes(Object[] args) {
    for (Object arg : args) {
      if (arg instanceof FrpcBytes) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a generator writes a frame that may join memory of {@link FrpcBytes} values: into a pooled buffer, until
   * a value's memory is joined after it and a new buffer takes what follows.
   */
  private static final class JoiningStream extends OutputStream {

    private ByteBuf piece;
    private CompositeByteBuf joined;

    JoiningStream(ByteBuf out) {
      this.piece = out;
    }

    @Override
    public void write(int b) {
      piece.writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      piece.writeBytes(bytes, offset, length);
    }

    /**
     * A raw binary value: its head, then its bytes — copied when they are few or on the heap (the socket would copy
     * heap memory anyway), else joined, retained, after what was written so far.
     */
    void writeBinary(FrpcBytes bytes) {
      ByteBuf content = bytes.retainedBuffer();
      try {
        ScalarSmile.writeBinaryHead(piece, content.readableBytes());
        if (!ScalarSmile.joined(content)) {
          piece.writeBytes(content);
          return;
        }
        if (joined == null) {
          joined = piece.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
        }
        ByteBuf written = piece;
        piece = null;
        joined.addComponent(true, written).addComponent(true, content);
        content = null;
        piece = written.alloc().buffer(64);
      } finally {
        if (content != null) {
          content.release();
        }
      }
    }

    /** The frame written: the first buffer, or every piece joined. */
    ByteBuf frame() {
      return joined == null ? piece : joined.addComponent(true, piece);
    }

    /** Frees what was written, after a failure. */
    void release() {
      if (joined != null) {
        joined.release();
      }
      if (piece != null) {
        piece.release();
      }
    }
  }

  private static OutputStream stream(ByteBuf out) {
    return new ByteBufOutputStream(out);
  }

  /** Encodes {@code value} on its own, by its runtime type (a published message or state value). */
  public byte[] valueBytes(Object value) {
    return mapper.writeValueAsBytes(value);
  }

  /** Appends a control record (handshake bodies, errors) to {@code out}. */
  public void writeControl(ByteBuf out, Object value) {
    control.writeValue(stream(out), value);
  }

  /** Encodes a control record on its own, e.g. one instance's error inside a broadcast reply. */
  public byte[] controlBytes(Object value) {
    return control.writeValueAsBytes(value);
  }

  /** Decodes a control record. */
  public <T> T readControl(Payload payload, Class<T> type) {
    // frpc's own records, a few tokens each: the default bound, whatever frpc.max-message-tokens says
    try (JsonParser parser = parser(control, payload, DEFAULT_MAX_TOKENS)) {
      return control.readValue(parser, type);
    }
  }

  /**
   * Decodes a value with the given reader. {@link FrpcBytes} views in it belong to the caller, who closes them; a
   * decode that fails closes those it made.
   */
  @SuppressWarnings("unchecked")
  public <T> T readValue(Payload payload, ObjectReader reader) {
    ScalarSmile.Kind kind;
    if (scalars != null && (kind = ScalarSmile.Kind.of(reader.getValueType().getRawClass())) != null) {
      Object value = ScalarSmile.readValue(payload.view(), kind);
      if (value != ScalarSmile.UNREAD) {
        return (T) value;
      }
    }
    PayloadParser parser = parser(mapper, payload, maxTokens);
    try (parser) {
      return reader.readValue(parser);
    } catch (RuntimeException e) {
      parser.closeOpened();
      throw e;
    }
  }

  /**
   * Decodes an argument array, element by element, straight into the parameter types. The {@link FrpcBytes}
   * views made are handed to {@code opened}, to be closed when the command is done; a decode that fails closes
   * them itself.
   *
   * @throws IllegalArgumentException when the count differs or an element does not bind
   */
  public Object[] readArguments(Payload payload, ObjectReader[] parameterReaders, Consumer<FrpcBytes> opened) {
    if (scalars != null) {
      Object[] args = ScalarSmile.readArray(payload.view(), parameterReaders);
      if (args != null) {
        return args;
      }
    }
    PayloadParser parser;
    try {
      parser = parser(mapper, payload, maxTokens);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("arguments are not valid Smile: " + e.getOriginalMessage(), e);
    }
    Object[] args;
    try (parser) {
      args = readArguments(parser, parameterReaders);
    } catch (RuntimeException e) {
      parser.closeOpened();
      throw e;
    }
    if (parser.opened() != null) {
      parser.opened().forEach(opened);
    }
    return args;
  }

  private static Object[] readArguments(JsonParser parser, ObjectReader[] parameterReaders) {
    Object[] args = new Object[parameterReaders.length];
    try {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("arguments are not an array");
      }
      for (int i = 0; i < args.length; i++) {
        if (parser.nextToken() == JsonToken.END_ARRAY) {
          throw new IllegalArgumentException("expected " + args.length + " argument(s) but got " + i);
        }
        try {
          args[i] = parameterReaders[i].readValue(parser);
        } catch (JacksonException e) {
          throw new IllegalArgumentException("argument " + (i + 1) + " does not bind to "
              + parameterReaders[i].getValueType() + ": " + e.getOriginalMessage(), e);
        }
      }
      if (parser.nextToken() != JsonToken.END_ARRAY) {
        int count = args.length + 1;
        parser.skipChildren();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          parser.skipChildren();
          count++;
        }
        throw new IllegalArgumentException("expected " + args.length + " argument(s) but got " + count);
      }
      return args;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("arguments are not valid Smile: " + e.getOriginalMessage(), e);
    }
  }

  private static PayloadParser parser(SmileMapper mapper, Payload payload, int maxTokens) {
    if (payload.hasArray()) {
      return new PayloadParser(mapper.createParser(payload.array(), payload.arrayOffset(), payload.length()),
          payload, null, maxTokens);
    }
    PayloadStream stream = new PayloadStream(payload.view());
    return new PayloadParser(mapper.createParser(stream), payload, stream, maxTokens);
  }

  /**
   * A stream of a pooled payload's bytes that hands the parser the bytes of a binary value already read from the
   * payload without copying them: the parser only skips them, so what its buffer holds there does not matter.
   */
  private static final class PayloadStream extends InputStream {

    private final ByteBuf in;
    /** Indices of {@link #in} the parser will only skip: from {@code skipFrom} (inclusive) to {@code skipTo}. */
    private int skipFrom;
    private int skipTo;

    PayloadStream(ByteBuf in) {
      this.in = in;
    }

    /** The parser will skip the bytes from {@code from} to {@code to} unread (a value taken from the payload). */
    void willSkip(int from, int to) {
      skipFrom = from;
      skipTo = to;
    }

    @Override
    public int read() {
      return in.isReadable() ? in.readUnsignedByte() : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      int count = Math.min(length, in.readableBytes());
      if (count == 0) {
        return length == 0 ? 0 : -1;
      }
      int at = in.readerIndex();
      if (at >= skipFrom && at < skipTo) {
        count = Math.min(count, skipTo - at);
        in.skipBytes(count);
        return count;
      }
      in.readBytes(target, offset, count);
      return count;
    }

    @Override
    public int available() {
      return in.readableBytes();
    }
  }

  /**
   * A parser over one payload. It fails when the input ends inside an object or array: Smile's parser reports
   * such an end as the end of input; a record bound through its constructor then buffers the unknown properties
   * it met and loops forever over that unbalanced buffer, so one truncated message from a peer would hold a
   * thread. It fails past {@code maxTokens} tokens handed to the reader: a few bytes of Smile can become tens of
   * bytes of objects each, so a message within the size limit could otherwise fill the heap. And it reads raw
   * binary values straight from the payload ({@link #rawBinary()}).
   */
  static final class PayloadParser extends JsonParserDelegate {

    private final Payload payload;
    /** The stream of a pooled payload; null for an array payload, which the parser skips through without a copy. */
    private final PayloadStream stream;
    private final int maxTokens;
    private int tokens;
    private List<FrpcBytes> opened;

    PayloadParser(JsonParser parser, Payload payload, PayloadStream stream, int maxTokens) {
      super(parser);
      this.payload = payload;
      this.stream = stream;
      this.maxTokens = maxTokens;
    }

    /**
     * The current token's bytes when it is a raw binary value, copied once from the payload into an array of
     * their exact size; null when they cannot be found there (the caller then asks Jackson, which copies a value
     * over 250,000 bytes in chunks and once more). The size was read from bytes that all arrived: a peer cannot
     * make this allocate more than it sent.
     */
    byte[] rawBinary() {
      ByteBuf in = payload.view();
      long at = rawBinaryAt(in);
      if (at < 0) {
        return null;
      }
      skipping(at);
      return copied(in, at);
    }

    /**
     * The current token's bytes when it is a raw binary value, as a view of the payload's memory that holds it
     * until closed (remembered as {@linkplain #opened() opened} by this parser), or of a copy when the payload is
     * pooled and the value smaller than {@value PayloadCodec#SHARED_MIN_BYTES} bytes; null when they cannot be found
     * there.
     */
    FrpcBytes rawBinaryView() {
      ByteBuf in = payload.view();
      long at = rawBinaryAt(in);
      if (at < 0) {
        return null;
      }
      int index = (int) at;
      int length = (int) (at >>> 32);
      skipping(at);
      if (payload.hasArray()) {
        return FrpcBytes.wrap(payload.array(), payload.arrayOffset() + index, length);
      }
      if (length < SHARED_MIN_BYTES) {
        // a small value costs less copied than held (and a peer's many tiny values hold no pooled memory each)
        return FrpcBytes.wrap(copied(in, at));
      }
      FrpcBytes view = FrpcBytes.wrap(in.retainedSlice(index, length));
      if (opened == null) {
        opened = new ArrayList<>(2);
      }
      opened.add(view);
      return view;
    }

    /** The bytes of the value at {@code at} (as {@link #rawBinaryAt} finds it), copied into an array of their own. */
    private static byte[] copied(ByteBuf in, long at) {
      byte[] bytes = new byte[(int) (at >>> 32)];
      in.getBytes((int) at, bytes);
      return bytes;
    }

    /** The value at {@code at} (as {@link #rawBinaryAt} finds it) was read: the parser skips it without a copy. */
    private void skipping(long at) {
      if (stream != null) {
        stream.willSkip((int) at, (int) at + (int) (at >>> 32));
      }
    }

    /** The views {@link #rawBinaryView()} made, in order; null when none. */
    List<FrpcBytes> opened() {
      return opened;
    }

    /** Closes the views made so far: a decode that failed hands none of them on. */
    void closeOpened() {
      if (opened != null) {
        opened.forEach(FrpcBytes::close);
        opened = null;
      }
    }

    /**
     * Where the current raw binary value's bytes are in {@code in}: its length in the high 32 bits and its index in
     * the low ones; -1 when the current token is no raw binary value whose bytes all arrived.
     */
    private long rawBinaryAt(ByteBuf in) {
      if (currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT) {
        return -1;
      }
      // Smile's parser counts an array's bytes from the array's start, a stream's from the stream's
      long at = delegate.currentTokenLocation().getByteOffset() - (payload.hasArray() ? payload.arrayOffset() : 0);
      if (at < 0 || at >= payload.length()) {
        return -1;
      }
      int index = (int) at;
      if (in.getUnsignedByte(index++) != ScalarSmile.RAW_BINARY) {
        return -1;
      }
      long head = ScalarSmile.readUnsignedVInt(in, index, in.writerIndex());
      if (head < 0) {
        return -1;
      }
      index += (int) (head >>> 32);
      long length = head & 0xFFFFFFFFL;
      if (length > in.writerIndex() - index) {
        return -1;
      }
      return length << 32 | index;
    }

    @Override
    public JsonToken nextToken() {
      return checked(super.nextToken());
    }

    @Override
    public JsonToken nextValue() {
      return checked(super.nextValue());
    }

    @Override
    public String nextName() {
      String name = super.nextName();
      checked(currentToken());
      return name;
    }

    @Override
    public boolean nextName(SerializableString expected) {
      boolean matches = super.nextName(expected);
      checked(currentToken());
      return matches;
    }

    @Override
    public int nextNameMatch(PropertyNameMatcher matcher) {
      int match = super.nextNameMatch(matcher);
      checked(currentToken());
      return match;
    }

    private JsonToken checked(JsonToken token) {
      if (token == null && !streamReadContext().inRoot()) {
        throw new StreamReadException(this, "input ends inside an " + (streamReadContext().inArray() ? "array"
            : "object"));
      }
      // skipped values (skipChildren) are not counted: they make no objects
      if (++tokens > maxTokens) {
        throw new StreamConstraintsException("the message holds more than " + maxTokens
            + " tokens (frpc.max-message-tokens)");
      }
      return token;
    }
  }
}
