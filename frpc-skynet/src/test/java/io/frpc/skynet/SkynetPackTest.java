package io.frpc.skynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * skynet.pack / skynet.unpack byte for byte. The expected bytes are written by hand from skynet's lua-seri.c: a tag
 * {@code type | cookie << 3}, then little-endian numbers; integers take the first form that fits among zero, beyond
 * 32 bits (qword), negative (dword), byte, word, dword.
 */
class SkynetPackTest {

  private final SkynetPack pack = SkynetPack.create();

  static Stream<Arguments> integers() {
    return Stream.of(
        Arguments.of(0L, "02"),
        Arguments.of(1L, "0a01"),
        Arguments.of(-1L, "22ffffffff"),
        Arguments.of(127L, "0a7f"),
        Arguments.of(128L, "0a80"),
        Arguments.of(255L, "0aff"),
        Arguments.of(256L, "120001"),
        Arguments.of(65535L, "12ffff"),
        Arguments.of(65536L, "2200000100"),
        Arguments.of(-65536L, "220000ffff"),
        Arguments.of(2147483647L, "22ffffff7f"),
        Arguments.of(-2147483648L, "2200000080"),
        Arguments.of(2147483648L, "320000008000000000"),
        Arguments.of(-2147483649L, "32ffffff7fffffffff"),
        Arguments.of(4294967296L, "320000000001000000"),
        Arguments.of(Long.MAX_VALUE, "32ffffffffffffff7f"),
        Arguments.of(Long.MIN_VALUE, "320000000000000080"));
  }

  @ParameterizedTest(name = "{0} packs as {1}")
  @MethodSource("integers")
  void integersTakeTheFormSkynetChoosesAndComeBack(long value, String hex) {
    assertBytes(LuaValue.of(value), hex);
  }

  @Test
  void nilAndBooleansAreOneByte() {
    assertBytes(LuaNil.NIL, "00");
    assertBytes(LuaBoolean.FALSE, "01");
    assertBytes(LuaBoolean.TRUE, "09");
  }

  @Test
  void floatsAreEightLittleEndianBytesEvenWhenWhole() {
    assertBytes(LuaValue.of(1.0), "42000000000000f03f");
    assertBytes(LuaValue.of(-0.0), "420000000000000080");
    assertBytes(LuaValue.of(0.5), "42000000000000e03f");
    assertThat(roundTrip(LuaValue.of(1.0))).isInstanceOf(LuaNumber.class);
  }

  @Test
  void specialFloatsComeBackBitForBit() {
    for (double value : new double[] {Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, Double.MAX_VALUE}) {
      LuaNumber back = (LuaNumber) roundTrip(LuaValue.of(value));
      assertThat(Double.doubleToRawLongBits(back.value())).isEqualTo(Double.doubleToRawLongBits(value));
    }
  }

  @Test
  void stringsUpTo31BytesKeepTheirLengthInTheTag() {
    assertBytes(LuaValue.of(""), "04");
    assertBytes(LuaValue.of("a"), "0c61");
    String thirtyOne = "x".repeat(31);
    assertBytes(LuaValue.of(thirtyOne), "fc" + hex(thirtyOne));
  }

  @Test
  void longerStringsCarryATwoOrFourByteLength() {
    String thirtyTwo = "y".repeat(32);
    assertBytes(LuaValue.of(thirtyTwo), "152000" + hex(thirtyTwo));
    assertThat(prefix(pack.pack(LuaValue.of(new byte[65535])), 3)).isEqualTo("15ffff");
    assertThat(prefix(pack.pack(LuaValue.of(new byte[65536])), 5)).isEqualTo("2500000100");
    for (int size : new int[] {0, 31, 32, 65535, 65536, 100_000}) {
      byte[] bytes = new byte[size];
      Arrays.fill(bytes, (byte) 0xC3);
      assertThat(roundTrip(LuaValue.of(bytes))).isEqualTo(LuaValue.of(bytes));
    }
  }

  @Test
  void stringsAreBytesNotText() {
    byte[] notUtf8 = {(byte) 0xff, 0, (byte) 0xc3};
    LuaString back = (LuaString) roundTrip(LuaValue.of(notUtf8));
    assertThat(back.bytes()).containsExactly(notUtf8);
    assertThat(back.isUtf8()).isFalse();
    assertThat(((LuaString) roundTrip(LuaValue.of("héllo"))).utf8()).isEqualTo("héllo");
  }

  @Test
  void tablesSendTheArrayPartThenPairsThenNil() {
    assertBytes(LuaTable.EMPTY, "0600");
    assertBytes(LuaTable.ofArray(LuaValue.of(1), LuaValue.of(2)), "160a010a0200");
    assertBytes(LuaTable.builder().put("a", LuaValue.of(1)).build(), "060c610a0100");
    assertBytes(LuaTable.builder().add(LuaValue.of(1)).put("x", LuaBoolean.TRUE).build(), "0e0a010c780900");
    assertBytes(LuaTable.builder().put(LuaValue.of(10), LuaValue.of("t")).build(), "060a0a0c7400");
  }

  @Test
  void anArrayOf31OrMoreValuesCarriesItsSizeAsAnInteger() {
    assertThat(prefix(pack.pack(array(30)), 1)).isEqualTo("f6");
    assertThat(prefix(pack.pack(array(31)), 3)).isEqualTo("fe0a1f");
    assertThat(prefix(pack.pack(array(256)), 4)).isEqualTo("fe120001");
    assertThat(prefix(pack.pack(array(65536)), 6)).isEqualTo("fe2200000100");
    for (int size : new int[] {30, 31, 32, 255, 256, 65536}) {
      assertThat(roundTrip(array(size))).isEqualTo(array(size));
    }
  }

  @Test
  void holesInTheArrayPartTravelAsNil() {
    LuaTable holes = LuaTable.ofArray(LuaValue.of(1), LuaNil.NIL, LuaValue.of(3));
    assertBytes(holes, "1e0a01000a0300");
    assertThat(((LuaTable) roundTrip(holes)).get(2)).isEqualTo(LuaNil.NIL);
  }

  @Test
  void nestedAndMixedTablesComeBackEqual() {
    LuaTable inner = LuaTable.builder().add(LuaValue.of("a")).put("deep", LuaValue.of(2.5)).build();
    LuaTable outer = LuaTable.builder()
        .add(inner).add(LuaTable.EMPTY).add(LuaValue.of(-7))
        .put("name", LuaValue.of("room"))
        .put(LuaValue.of(100), LuaBoolean.FALSE)
        .put(LuaValue.of(0.5), LuaValue.of("half"))
        .put(LuaBoolean.TRUE, inner)
        .put(inner, LuaValue.of(1))
        .build();
    assertThat(roundTrip(outer)).isEqualTo(outer);
  }

  @Test
  void severalValuesPackOneAfterTheOther() {
    byte[] bytes = pack.pack(LuaValue.of(1), LuaValue.of("a"), LuaNil.NIL, LuaTable.EMPTY);
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0a010c61000600");
    assertThat(pack.unpack(bytes)).containsExactly(LuaValue.of(1), LuaValue.of("a"), LuaNil.NIL, LuaTable.EMPTY);
    assertThat(pack.unpack(new byte[0])).isEmpty();
    assertThat(pack.pack()).isEmpty();
  }

  @Test
  void aValueMaySitInside32TablesAndNoMore() {
    assertThat(roundTrip(nested(32, LuaValue.of(1)))).isEqualTo(nested(32, LuaValue.of(1)));
    // skynet checks the depth of each value packed inside a table; an empty 33rd table holds none
    assertThat(roundTrip(nested(33, null))).isEqualTo(nested(33, null));
    assertThatThrownBy(() -> pack.pack(nested(33, LuaValue.of(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 32 tables");
  }

  @Test
  void dataNestedDeeperThanSkynetPacksIsRefused() {
    byte[] deep = new byte[33 + 1 + 33];
    Arrays.fill(deep, 0, 33, (byte) 0x0e); // a table with one array value: the next table
    deep[33] = 0x02; // integer 0, inside 33 tables
    Arrays.fill(deep, 34, deep.length, (byte) 0x00); // each table's end of pairs
    assertThatThrownBy(() -> pack.unpack(deep)).isInstanceOf(SkynetFormatException.class)
        .hasMessageContaining("more than 32 tables");
    byte[] veryDeep = new byte[100_000];
    Arrays.fill(veryDeep, (byte) 0x0e);
    assertThatThrownBy(() -> pack.unpack(veryDeep)).isInstanceOf(SkynetFormatException.class);
  }

  @Test
  void aLightUserdataIsRefusedWithTheReason() {
    assertThatThrownBy(() -> pack.unpack(HexFormat.of().parseHex("030102030405060708")))
        .isInstanceOf(SkynetFormatException.class).hasMessageContaining("light userdata");
  }

  @Test
  void malformedDataIsRefusedWithOneExceptionType() {
    for (String hex : List.of("07", "0a", "12ff", "22ffff", "32ff", "42000000", "1a", "4a", "1d", "0d", "15ff",
        "150500616263", "25ffffffff", "06", "0e", "160a01", "fe", "fe42", "fe0c61", "fe1a00", "fe22ffffff7f",
        "fe22ffffffff00", "fe32ffffffffffffff7f", "f6", "060a01")) {
      assertThatThrownBy(() -> pack.unpack(HexFormat.of().parseHex(hex)), hex)
          .isInstanceOf(SkynetFormatException.class).hasMessageContaining("invalid skynet.pack data at byte");
    }
  }

  @Test
  void aNaNKeyIsRefusedAsLuaRefusesIt() {
    assertThatThrownBy(() -> pack.unpack(HexFormat.of().parseHex("0642000000000000f87f0a0100")))
        .isInstanceOf(SkynetFormatException.class).hasMessageContaining("NaN");
  }

  @Test
  void whatSkynetAcceptsLeniently() {
    // any non-zero boolean cookie is true; a nil's cookie is ignored
    assertThat(pack.unpack(HexFormat.of().parseHex("11f8"))).containsExactly(LuaBoolean.TRUE, LuaNil.NIL);
    // a long string may be short; a small array size may take the "size follows" form
    assertThat(pack.unpack(HexFormat.of().parseHex("150100" + "61"))).containsExactly(LuaValue.of("a"));
    assertThat(pack.unpack(HexFormat.of().parseHex("fe0a01" + "0a07" + "00")))
        .containsExactly(LuaTable.ofArray(LuaValue.of(7)));
  }

  @Test
  void pairsAreStoredAsLuaStoresThem() {
    // [1]=9 replaces the array's first value, ["a"]=nil is no pair, [2.0] is the integer key 2
    byte[] bytes = HexFormat.of().parseHex("0e0a01" + "0a010a09" + "0c6100" + "420000000000000040" + "0c62" + "00");
    LuaTable table = (LuaTable) pack.unpack(bytes).get(0);
    assertThat(table.array()).containsExactly(LuaValue.of(9));
    assertThat(table.hash()).containsExactly(Map.entry(LuaValue.of(2), LuaValue.of("b")));
  }

  @Test
  void inputOverTheLimitIsRefusedBeforeReading() {
    assertThatThrownBy(() -> SkynetPack.withMaxBytes(4).unpack(new byte[5]))
        .isInstanceOf(SkynetFormatException.class).hasMessageContaining("exceeds the limit of 4");
    assertThat(SkynetPack.withMaxBytes(4).unpack(new byte[4])).hasSize(4);
  }

  @Test
  void aNullValueIsNotNil() {
    assertThatThrownBy(() -> pack.pack(Arrays.asList(LuaNil.NIL, null))).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("LuaNil.NIL");
  }

  private void assertBytes(LuaValue value, String hex) {
    byte[] bytes = pack.pack(value);
    assertThat(HexFormat.of().formatHex(bytes)).as("skynet.pack(%s)", value).isEqualTo(hex);
    assertThat(pack.unpack(bytes)).as("skynet.unpack of %s", hex).containsExactly(value);
  }

  private LuaValue roundTrip(LuaValue value) {
    List<LuaValue> values = pack.unpack(pack.pack(value));
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static LuaTable array(int size) {
    List<LuaValue> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      values.add(LuaValue.of(i));
    }
    return LuaTable.ofArray(values);
  }

  /** {@code tables} tables, each the only value of the next; the innermost holds {@code innermost} or nothing. */
  private static LuaTable nested(int tables, LuaValue innermost) {
    LuaTable table = innermost == null ? LuaTable.EMPTY : LuaTable.ofArray(innermost);
    for (int i = 1; i < tables; i++) {
      table = LuaTable.ofArray(table);
    }
    return table;
  }

  private static String hex(String text) {
    return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String prefix(byte[] bytes, int length) {
    return HexFormat.of().formatHex(bytes, 0, length);
  }
}
