package io.frpc.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;

/**
 * Scalars written and read without Jackson ({@link ScalarSmile}) are exactly what Jackson writes and reads: the
 * default codec, which takes that path, is compared with a codec of the same configuration that, being given its
 * mapper, goes through Jackson for everything.
 */
class ScalarSmileTest {

  private static final Class<?>[] TYPES = {String.class, byte[].class, FrpcBytes.class, int.class, Integer.class,
      long.class, Long.class, boolean.class, Boolean.class};

  private final PayloadCodec scalars = new PayloadCodec();
  private final PayloadCodec jackson = new PayloadCodec(PayloadCodec.defaultMapperBuilder().build(),
      PayloadCodec.DEFAULT_MAX_TOKENS);
  /** Direct memory: a small value, copied into frames, and a large one, which the codec joins to them instead. */
  private final FrpcBytes directSmall = FrpcBytes.wrap(ByteBuffer.allocateDirect(100).put(0, (byte) 9));
  private final FrpcBytes directLarge = FrpcBytes.wrap(ByteBuffer.allocateDirect(PayloadCodec.SHARED_MIN_BYTES));

  @AfterEach
  void closeDirectValues() {
    directSmall.close();
    directLarge.close();
  }

  @Test
  void everyScalarIsWrittenAsJacksonWritesIt() {
    for (Object value : samples()) {
      assertThat(written(scalars, value)).as("%s", describe(value)).containsExactly(written(jackson, value));
      assertThat(arguments(scalars, value, value)).as("[%s, same]", describe(value))
          .containsExactly(arguments(jackson, value, value));
    }
    Random random = new Random(7);
    List<Object> samples = samples();
    for (int i = 0; i < 2_000; i++) {
      Object[] args = new Object[random.nextInt(5)];
      for (int j = 0; j < args.length; j++) {
        args[j] = samples.get(random.nextInt(samples.size()));
      }
      assertThat(arguments(scalars, args)).as("%s", Arrays.deepToString(args))
          .containsExactly(arguments(jackson, args));
    }
  }

  @Test
  void theScalarPathIsTakenForScalarsAndOnlyForThem() {
    ScalarSmile smile = ScalarSmile.forHeader(written(jackson, null));
    assertThat(smile).isNotNull();
    for (Object value : samples()) {
      ByteBuf out = Unpooled.buffer();
      boolean scalar = value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
          || value instanceof byte[] || value instanceof String text && text.length() <= 64
          && text.chars().allMatch(c -> c < 0x80) || value instanceof FrpcBytes && value != directLarge;
      assertThat(smile.writeValue(out, value)).as("%s", describe(value)).isEqualTo(scalar);
      if (!scalar) {
        assertThat(out.readableBytes()).as("nothing written for %s", describe(value)).isZero();
        continue;
      }
      Class<?> type = value == null ? String.class : value instanceof Integer ? int.class
          : value instanceof Long ? long.class : value instanceof Boolean ? boolean.class
          : value instanceof FrpcBytes ? FrpcBytes.class : value.getClass();
      assertThat(ScalarSmile.readValue(out, ScalarSmile.Kind.of(type))).as("%s", describe(value))
          .satisfies(read -> assertThat(Objects.deepEquals(read, value)).isTrue());
    }
  }

  @Test
  void aBufferThatCannotTakeTheValuesIsLeftAsItWasAndReleasedByTheCodec() {
    ScalarSmile smile = ScalarSmile.forHeader(written(jackson, null));
    ByteBuf small = Unpooled.buffer(16, 16).writeByte(7);
    assertThat(smile.writeArray(small, new Object[] {new byte[100]})).isFalse();
    assertThat(smile.writeValue(small, "x".repeat(40))).isFalse();
    assertThat(small.writerIndex()).isEqualTo(1);
    assertThatThrownBy(() -> scalars.writeArguments(small, new Object[] {new byte[100]}))
        .isInstanceOf(RuntimeException.class);
    assertThat(small.refCnt()).as("released on failure, as Jackson's path always did").isZero();
  }

  @Test
  void everyMessageIsReadAsJacksonReadsIt() {
    List<byte[]> messages = new ArrayList<>();
    for (Object value : samples()) {
      messages.add(written(jackson, value));
      messages.add(arguments(jackson, value));
      messages.add(arguments(jackson, value, value));
    }
    for (byte[] message : messages) {
      assertReadAlike(message);
    }
  }

  @Test
  void damagedMessagesAreReadAsJacksonReadsThem() {
    Random random = new Random(11);
    List<Object> samples = samples();
    for (int i = 0; i < 5_000; i++) {
      Object value = samples.get(random.nextInt(samples.size()));
      byte[] message = random.nextBoolean() ? written(jackson, value) : arguments(jackson, value);
      int at = 4 + random.nextInt(Math.max(1, message.length - 4));
      byte[] damaged = switch (random.nextInt(4)) {
        case 0 -> Arrays.copyOf(message, Math.min(message.length, at));
        case 1 -> {
          byte[] copy = message.clone();
          copy[Math.min(at, copy.length - 1)] = (byte) random.nextInt(256);
          yield copy;
        }
        case 2 -> {
          byte[] copy = Arrays.copyOf(message, message.length + 1);
          copy[message.length] = (byte) random.nextInt(256);
          yield copy;
        }
        default -> {
          // a token the scalar path reads, with a length or number cut or stretched
          byte[] copy = message.clone();
          int[] tokens = {0x24, 0x25, 0xFD, 0x40, 0x5F, 0x60, 0x7F, 0xE0, 0xE4, 0xC0, 0xDF, 0x20, 0x21, 0xF9};
          copy[Math.min(at, copy.length - 1)] = (byte) tokens[random.nextInt(tokens.length)];
          yield copy;
        }
      };
      assertReadAlike(damaged);
    }
  }

  /** Every declared type, alone and as arguments, reads {@code message} to an equal value or the same error. */
  private void assertReadAlike(byte[] message) {
    for (Class<?> type : TYPES) {
      assertSameOutcome(() -> scalars.readValue(payload(message), scalars.reader(type)),
          () -> jackson.readValue(payload(message), jackson.reader(type)), type.getSimpleName(), message);
      for (Class<?> second : new Class<?>[] {null, String.class, long.class}) {
        Class<?>[] types = second == null ? new Class<?>[] {type} : new Class<?>[] {type, second};
        assertSameOutcome(() -> scalars.readArguments(payload(message), readers(scalars, types), view -> { }),
            () -> jackson.readArguments(payload(message), readers(jackson, types), view -> { }),
            Arrays.toString(types), message);
      }
    }
  }

  private static void assertSameOutcome(Supplier<Object> scalarPath, Supplier<Object> jacksonPath, String what,
      byte[] message) {
    Object expected;
    try {
      expected = jacksonPath.get();
    } catch (RuntimeException e) {
      assertThat(outcome(scalarPath)).as("%s from %s", what, ByteBufUtil.hexDump(message))
          .isEqualTo(e.getClass().getName() + ": " + e.getMessage());
      return;
    }
    Object actual = scalarPath.get();
    assertThat(Objects.deepEquals(actual, expected)).as("%s from %s: %s, Jackson %s", what,
        ByteBufUtil.hexDump(message), describe(actual), describe(expected)).isTrue();
    if (expected != null) {
      assertThat(actual).as("%s from %s", what, ByteBufUtil.hexDump(message)).hasSameClassAs(expected);
    }
  }

  private static String outcome(Supplier<Object> path) {
    try {
      return "no failure but " + describe(path.get());
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static ObjectReader[] readers(PayloadCodec codec, Class<?>[] types) {
    return Arrays.stream(types).map(codec::reader).toArray(ObjectReader[]::new);
  }

  private static Payload payload(byte[] message) {
    return new Payload(message, 0, message.length);
  }

  private static byte[] written(PayloadCodec codec, Object value) {
    return bytesOf(codec.writeValue(Unpooled.buffer(), codec.writer(Object.class), value));
  }

  private static byte[] arguments(PayloadCodec codec, Object... args) {
    return bytesOf(codec.writeArguments(Unpooled.buffer(), args));
  }

  private static byte[] bytesOf(ByteBuf frame) {
    try {
      return ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
  }

  private static String describe(Object value) {
    if (value instanceof byte[] bytes) {
      return "byte[" + bytes.length + "]";
    }
    if (value instanceof Object[] array) {
      return Arrays.deepToString(array);
    }
    String text = String.valueOf(value);
    return text.length() > 80 ? text.substring(0, 80) + "… (" + text.length() + " chars)" : text;
  }

  /** Values at every boundary of Smile's scalar encodings, and some it leaves to Jackson. */
  private List<Object> samples() {
    List<Object> samples = new ArrayList<>(Arrays.asList(null, true, false, Boolean.TRUE));
    for (int shift = 0; shift < 32; shift++) {
      for (int delta = -2; delta <= 2; delta++) {
        samples.add((1 << shift) + delta);
        samples.add(-(1 << shift) + delta);
      }
    }
    samples.addAll(List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1));
    for (int shift = 0; shift < 64; shift++) {
      for (long delta = -2; delta <= 2; delta++) {
        samples.add((1L << shift) + delta);
        samples.add(-(1L << shift) + delta);
      }
    }
    samples.addAll(List.of(Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MAX_VALUE + 1,
        (long) Integer.MIN_VALUE - 1));
    for (int length : new int[] {0, 1, 2, 31, 32, 33, 34, 63, 64, 65, 66, 200, 5_000}) {
      samples.add("a1 ~".repeat(length / 4 + 1).substring(0, length));
    }
    samples.addAll(List.of("é", "naïve", "日本語のテキスト", "\u0000", "\u007f", "\u0080", "a".repeat(63) + "é",
        "\uD83D\uDE00", "ÿ".repeat(40)));
    Random random = new Random(3);
    for (int length : new int[] {0, 1, 2, 63, 64, 65, 127, 128, 8_191, 8_192, 8_193, 70_000}) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      samples.add(bytes);
      if (length < 100) {
        samples.add(FrpcBytes.wrap(bytes));
      }
    }
    samples.addAll(List.of(FrpcBytes.wrap(new byte[70_000]), FrpcBytes.wrap(ByteBuffer.wrap(new byte[300], 10, 200)),
        directSmall, directLarge));
    // left to Jackson
    samples.addAll(List.of(1.5d, 2.5f, (short) 7, (byte) 3, 'c', List.of(1, "two"), new int[] {1, 2}));
    return samples;
  }
}
