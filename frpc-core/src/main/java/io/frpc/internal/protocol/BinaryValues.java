package io.frpc.internal.protocol;

import io.frpc.FrpcBytes;
import java.nio.ByteBuffer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.databind.type.ArrayType;

/**
 * Binds {@code byte[]} and {@link ByteBuffer} values read from a payload straight from its bytes: one copy into an
 * array of the exact size, where Jackson would copy a value over 250,000 bytes in chunks and then once more; and
 * {@link FrpcBytes} values as views of the payload's bytes (a small one of a pooled payload: of a copy). Values read
 * from anywhere else (a buffered record's properties, another mapper's parser) bind as Jackson binds them, a
 * {@code FrpcBytes} as a view of a copy.
 */
final class BinaryValues {

  private BinaryValues() {
  }

  /** The module that installs both bindings. */
  static SimpleModule module() {
    SimpleModule module = new SimpleModule("frpc-binary-values");
    module.addDeserializer(ByteBuffer.class, new ByteBufferValue());
    module.addDeserializer(FrpcBytes.class, new BytesView());
    module.addSerializer(FrpcBytes.class, new BytesWriter());
    module.setDeserializerModifier(new ValueDeserializerModifier() {
      @Override
      public ValueDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType type,
          tools.jackson.databind.BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
        return type.getContentType().getRawClass() == byte.class ? new ByteArrayValue(deserializer) : deserializer;
      }
    });
    return module;
  }

  /** The current raw binary value read from the payload under {@code parser}, or null. */
  private static byte[] fromPayload(JsonParser parser) {
    return parser instanceof PayloadCodec.PayloadParser payload ? payload.rawBinary() : null;
  }

  /** {@code byte[]}: from the payload where it can, else as Jackson's own deserializer does. */
  private static final class ByteArrayValue extends DelegatingDeserializer {

    ByteArrayValue(ValueDeserializer<?> jackson) {
      super(jackson);
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> jackson) {
      return new ByteArrayValue(jackson);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
      byte[] bytes = fromPayload(parser);
      return bytes != null ? bytes : super.deserialize(parser, context);
    }
  }

  /** {@link ByteBuffer}: a buffer over an array of its own, like Jackson's, filled from the payload where it can. */
  private static final class ByteBufferValue extends StdDeserializer<ByteBuffer> {

    ByteBufferValue() {
      super(ByteBuffer.class);
    }

    @Override
    public ByteBuffer deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
      byte[] bytes = fromPayload(parser);
      return ByteBuffer.wrap(bytes != null ? bytes : parser.getBinaryValue(context.getBase64Variant()));
    }
  }

  /** {@link FrpcBytes}: a view of the payload's bytes where it can, else of a copy. */
  private static final class BytesView extends StdDeserializer<FrpcBytes> {

    BytesView() {
      super(FrpcBytes.class);
    }

    @Override
    public FrpcBytes deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
      FrpcBytes view = parser instanceof PayloadCodec.PayloadParser payload ? payload.rawBinaryView() : null;
      return view != null ? view : FrpcBytes.wrap(parser.getBinaryValue(context.getBase64Variant()));
    }
  }

  /**
   * {@link FrpcBytes} inside other values (record fields, lists) and in any format: a binary value streamed from
   * its memory. Whole arguments and results skip this and are written without a copy ({@link PayloadCodec}).
   */
  private static final class BytesWriter extends StdSerializer<FrpcBytes> {

    BytesWriter() {
      super(FrpcBytes.class);
    }

    @Override
    public void serialize(FrpcBytes value, JsonGenerator generator, SerializationContext context)
        throws JacksonException {
      generator.writeBinary(value.newInputStream(), value.length());
    }
  }
}
