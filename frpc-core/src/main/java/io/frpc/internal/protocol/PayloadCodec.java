package io.frpc.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
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

  private final SmileMapper mapper;
  private final SmileMapper control;

  /** A codec with frpc's default Smile configuration. */
  public PayloadCodec() {
    this(defaultMapperBuilder().build());
  }

  /**
   * A codec encoding arguments and results with {@code mapper}, for applications that register their own
   * Jackson modules; frpc's own records (handshakes, errors) keep frpc's configuration.
   */
  public PayloadCodec(SmileMapper mapper) {
    this.mapper = mapper;
    // A newer peer may add fields or leave out ones this version knows: neither may break a connection.
    this.control = defaultMapperBuilder()
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .build();
  }

  /** frpc's Smile configuration, to be adjusted by applications and passed to {@link #PayloadCodec(SmileMapper)}. */
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

  /** Appends {@code args} to {@code out} as one Smile array. */
  public void writeArguments(ByteBuf out, Object[] args) {
    mapper.writeValue((OutputStream) new ByteBufOutputStream(out), args);
  }

  /** Appends {@code value} to {@code out}. */
  public void writeValue(ByteBuf out, ObjectWriter writer, Object value) {
    writer.writeValue((OutputStream) new ByteBufOutputStream(out), value);
  }

  /** Encodes {@code value} on its own, by its runtime type (a published message or state value). */
  public byte[] valueBytes(Object value) {
    return mapper.writeValueAsBytes(value);
  }

  /** Appends a control record (handshake bodies, errors) to {@code out}. */
  public void writeControl(ByteBuf out, Object value) {
    control.writeValue((OutputStream) new ByteBufOutputStream(out), value);
  }

  /** Encodes a control record on its own, e.g. one instance's error inside a broadcast reply. */
  public byte[] controlBytes(Object value) {
    return control.writeValueAsBytes(value);
  }

  /** Decodes a control record. */
  public <T> T readControl(Payload payload, Class<T> type) {
    try (JsonParser parser = parser(control, payload)) {
      return control.readValue(parser, type);
    }
  }

  /** Decodes a value with the given reader. */
  public <T> T readValue(Payload payload, ObjectReader reader) {
    try (JsonParser parser = parser(mapper, payload)) {
      return reader.readValue(parser);
    }
  }

  /**
   * Decodes an argument array, element by element, straight into the parameter types.
   *
   * @throws IllegalArgumentException when the count differs or an element does not bind
   */
  public Object[] readArguments(Payload payload, ObjectReader[] parameterReaders) {
    Object[] args = new Object[parameterReaders.length];
    try (JsonParser parser = parser(mapper, payload)) {
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

  private static JsonParser parser(SmileMapper mapper, Payload payload) {
    JsonParser parser = payload.hasArray()
        ? mapper.createParser(payload.array(), payload.arrayOffset(), payload.length())
        : mapper.createParser((InputStream) new ByteBufInputStream(payload.view()));
    return new PayloadParser(parser, payload);
  }

  /**
   * A parser over one payload. It fails when the input ends inside an object or array: Smile's parser reports
   * such an end as the end of input; a record bound through its constructor then buffers the unknown properties
   * it met and loops forever over that unbalanced buffer, so one truncated message from a peer would hold a
   * thread. And it reads raw binary values straight from the payload ({@link #rawBinary()}).
   */
  static final class PayloadParser extends JsonParserDelegate {

    private static final int RAW_BINARY = 0xFD;

    private final Payload payload;

    PayloadParser(JsonParser parser, Payload payload) {
      super(parser);
      this.payload = payload;
    }

    /**
     * The current token's bytes when it is a raw binary value, copied once from the payload into an array of
     * their exact size; null when they cannot be found there (the caller then asks Jackson, which copies a value
     * over 250,000 bytes in chunks and once more). The size was read from bytes that all arrived: a peer cannot
     * make this allocate more than it sent.
     */
    byte[] rawBinary() {
      if (currentToken() != JsonToken.VALUE_EMBEDDED_OBJECT) {
        return null;
      }
      // Smile's parser counts an array's bytes from the array's start, a stream's from the stream's
      long at = delegate.currentTokenLocation().getByteOffset() - (payload.hasArray() ? payload.arrayOffset() : 0);
      if (at < 0 || at >= payload.length()) {
        return null;
      }
      ByteBuf in = payload.view();
      int index = (int) at;
      if (in.getUnsignedByte(index++) != RAW_BINARY) {
        return null;
      }
      long length = 0;
      for (int i = 0; ; i++) {
        if (i == 5 || index >= in.writerIndex()) {
          return null;
        }
        byte b = in.getByte(index++);
        if (b < 0) {
          length = (length << 6) + (b & 0x3F);
          break;
        }
        length = (length << 7) + b;
      }
      if (length > in.writerIndex() - index) {
        return null;
      }
      byte[] bytes = new byte[(int) length];
      in.getBytes(index, bytes);
      return bytes;
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
      return token;
    }
  }
}
