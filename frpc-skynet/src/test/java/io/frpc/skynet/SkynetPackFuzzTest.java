package io.frpc.skynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated bytes through {@link SkynetPack#unpack}: only {@link SkynetFormatException} escapes, the values
 * decoded never outnumber the bytes read (no length in the input makes the decoder allocate beyond them), and what
 * decodes packs and decodes again to the same values. {@code -Dfrpc.fuzz.inputs=N} sets the number of inputs.
 */
class SkynetPackFuzzTest {

  private static final int INPUTS = Integer.getInteger("frpc.fuzz.inputs", 50_000);

  private final SkynetPack pack = SkynetPack.withMaxBytes(1 << 20);

  @Test
  void onlyTheFormatExceptionEscapesAndDecodingStaysWithinTheInput() {
    List<byte[]> seeds = seeds();
    Random random = new Random(20261202L);
    int decoded = 0;
    int refused = 0;
    for (int input = 0; input < INPUTS; input++) {
      byte[] bytes = mutate(seeds.get(random.nextInt(seeds.size())), random);
      List<LuaValue> values;
      try {
        values = pack.unpack(bytes);
      } catch (SkynetFormatException expected) {
        refused++;
        continue;
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        fail("input %s escaped with %s", HexFormat.of().formatHex(bytes), e);
        return;
      }
      decoded++;
      long nodes = values.stream().mapToLong(SkynetPackFuzzTest::nodes).sum();
      assertThat(nodes).as("values decoded from %d bytes", bytes.length).isLessThanOrEqualTo(bytes.length);
      assertThat(pack.unpack(pack.pack(values))).as("decode, pack, decode of %s", HexFormat.of().formatHex(bytes))
          .isEqualTo(values);
    }
    System.out.printf("fuzzed %,d skynet.pack inputs: %,d decoded, %,d refused%n", INPUTS, decoded, refused);
    assertThat(decoded).isPositive();
    assertThat(refused).isPositive();
  }

  /** The captured values of skynet-vectors/seri.hex (the long strings cut short, to keep mutations cheap). */
  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    GoldenVectors.load("seri.hex").forEach((name, bytes) -> {
      if (bytes.length <= 4096) {
        seeds.add(bytes);
      }
    });
    byte[] deep = new byte[80];
    Arrays.fill(deep, 0, 40, (byte) 0x0e);
    seeds.add(deep);
    return seeds;
  }

  /** The number of values, counting each table's keys and values. */
  private static long nodes(LuaValue value) {
    if (value instanceof LuaTable table) {
      long count = 1;
      for (LuaValue element : table.array()) {
        count += nodes(element);
      }
      for (var pair : table.hash().entrySet()) {
        count += nodes(pair.getKey()) + nodes(pair.getValue());
      }
      return count;
    }
    return 1;
  }

  static byte[] mutate(byte[] seed, Random random) {
    if (random.nextInt(10) == 0 || seed.length == 0) {
      byte[] noise = new byte[random.nextInt(200)];
      random.nextBytes(noise);
      return noise;
    }
    byte[] bytes = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && bytes.length > 0; m++) {
      switch (random.nextInt(5)) {
        case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length) + 1);
        case 3 -> {
          if (bytes.length < 4) {
            continue;
          }
          int at = random.nextInt(bytes.length - 3);
          ByteBuffer.wrap(bytes, at, 4).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
              .putInt(random.nextBoolean() ? random.nextInt() : random.nextInt(1 << 21));
        }
        default -> {
          int at = random.nextInt(bytes.length);
          byte[] grown = new byte[bytes.length + 8];
          System.arraycopy(bytes, 0, grown, 0, at);
          for (int i = 0; i < 8; i++) {
            grown[at + i] = (byte) random.nextInt(256);
          }
          System.arraycopy(bytes, at, grown, at + 8, bytes.length - at);
          bytes = grown;
        }
      }
    }
    return bytes;
  }
}
