package io.frpc.skynet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * skynet.pack's own bytes (captured from skynet_fly's skynet, skynet-vectors/seri.hex) against the values they were
 * packed from: each unpacks to its values, and packs back to the same bytes.
 */
class SkynetPackGoldenTest {

  /** Tables with two or more pairs: skynet sent them in its hash table's order, not the order written below. */
  private static final Set<String> PAIR_ORDER_IS_SKYNETS = Set.of("table_hash_2", "table_mixed_nil_hole",
      "table_mixed_int_keys", "table_nested", "call_echo_args");

  private final SkynetPack pack = SkynetPack.create();
  private final Map<String, byte[]> vectors = GoldenVectors.load("seri.hex");

  @Test
  void everyCapturedValueUnpacksToWhatWasPackedAndPacksBackToTheSameBytes() {
    Map<String, List<LuaValue>> expected = expectedValues();
    assertThat(vectors.keySet()).containsAll(expected.keySet());
    for (Map.Entry<String, List<LuaValue>> entry : expected.entrySet()) {
      byte[] bytes = vectors.get(entry.getKey());
      List<LuaValue> values = pack.unpack(bytes);
      assertThat(values).as(entry.getKey()).isEqualTo(entry.getValue());
      // the decoder keeps pairs in arrival order, so even skynet's pair order packs back byte for byte
      assertThat(HexFormat.of().formatHex(pack.pack(values))).as(entry.getKey())
          .isEqualTo(HexFormat.of().formatHex(bytes));
      if (!PAIR_ORDER_IS_SKYNETS.contains(entry.getKey())) {
        assertThat(HexFormat.of().formatHex(pack.pack(entry.getValue()))).as(entry.getKey())
            .isEqualTo(HexFormat.of().formatHex(bytes));
      }
    }
  }

  @Test
  void skynetsNaNUnpacksAsNaNAndKeepsItsBits() {
    byte[] bytes = vectors.get("real_nan_0/0");
    LuaNumber nan = (LuaNumber) pack.unpack(bytes).get(0);
    assertThat(nan.value()).isNaN();
    assertThat(pack.pack(nan)).isEqualTo(bytes);
  }

  @Test
  void theArrayPartIsWhatLuasLengthOperatorSaw() {
    // {1, nil, 3, k = "v"}: Lua's # gave 1 here, so 3 travelled as a pair
    LuaTable holes = (LuaTable) pack.unpack(vectors.get("table_mixed_nil_hole")).get(0);
    assertThat(holes.array()).containsExactly(LuaValue.of(1));
    assertThat(holes.get(3)).isEqualTo(LuaValue.of(3));
    // {[1] = "one", [2] = "two", ...}: keys written as pairs, yet skynet sends 1 and 2 as the array part
    LuaTable keys = (LuaTable) pack.unpack(vectors.get("table_mixed_int_keys")).get(0);
    assertThat(keys.array()).containsExactly(LuaValue.of("one"), LuaValue.of("two"));
  }

  @Test
  void skynetPacks33NestedTablesWhenTheInnermostIsEmpty() {
    // the capture meant to show the depth error packed instead: only a value inside 33 tables is refused
    byte[] bytes = GoldenVectors.load("seri_errors.txt.hex").get("depth_33_pack_error");
    LuaTable table = LuaTable.EMPTY;
    for (int i = 1; i < 33; i++) {
      table = LuaTable.ofArray(table);
    }
    assertThat(pack.unpack(bytes)).containsExactly(table);
    assertThat(pack.pack(table)).isEqualTo(bytes);
  }

  private static Map<String, List<LuaValue>> expectedValues() {
    Map<String, List<LuaValue>> values = new LinkedHashMap<>();
    values.put("nil", List.of(LuaNil.NIL));
    values.put("true", List.of(LuaBoolean.TRUE));
    values.put("false", List.of(LuaBoolean.FALSE));
    for (long value : new long[] {0, 1, -1, 127, 128, 255, 256, 65535, 65536, 2147483647, -2147483648L,
        -2147483649L, 2147483648L, 4294967295L, 4294967296L, 9007199254740992L, Long.MAX_VALUE, Long.MIN_VALUE}) {
      values.put("int_" + value, List.of(LuaValue.of(value)));
    }
    values.put("int_minus_256", List.of(LuaValue.of(-256)));
    values.put("real_0.5", List.of(LuaValue.of(0.5)));
    values.put("real_-0.0", List.of(LuaValue.of(-0.0)));
    values.put("real_0.0", List.of(LuaValue.of(0.0)));
    values.put("real_1.0", List.of(LuaValue.of(1.0)));
    values.put("real_1e300", List.of(LuaValue.of(1e300)));
    values.put("real_-1.5", List.of(LuaValue.of(-1.5)));
    values.put("real_inf", List.of(LuaValue.of(Double.POSITIVE_INFINITY)));
    values.put("real_-inf", List.of(LuaValue.of(Double.NEGATIVE_INFINITY)));
    values.put("real_2^63_float", List.of(LuaValue.of(0x1p63)));
    values.put("str_empty", List.of(LuaValue.of("")));
    values.put("str_a", List.of(LuaValue.of("a")));
    values.put("str_31", List.of(LuaValue.of("a".repeat(31))));
    values.put("str_32", List.of(LuaValue.of("b".repeat(32))));
    values.put("str_utf8", List.of(LuaValue.of("你好")));
    values.put("str_binary_00ff", List.of(LuaValue.of(new byte[] {0, (byte) 0xff})));
    values.put("str_65535", List.of(LuaValue.of("c".repeat(65535))));
    values.put("str_65536", List.of(LuaValue.of("d".repeat(65536))));
    values.put("table_empty", List.of(LuaTable.EMPTY));
    values.put("table_array_3", List.of(counting(3)));
    values.put("table_array_30", List.of(counting(30)));
    values.put("table_array_31", List.of(counting(31)));
    values.put("table_array_300", List.of(counting(300)));
    values.put("table_hash_1", List.of(LuaTable.builder().put("a", LuaValue.of(1)).build()));
    values.put("table_hash_2", List.of(LuaTable.builder().put("a", LuaValue.of(1)).put("b", LuaValue.of("x"))
        .build()));
    values.put("table_mixed_nil_hole", List.of(LuaTable.builder().add(LuaValue.of(1)).put(LuaValue.of(3),
        LuaValue.of(3)).put("k", LuaValue.of("v")).build()));
    values.put("table_mixed_int_keys", List.of(LuaTable.builder().add(LuaValue.of("one")).add(LuaValue.of("two"))
        .put(LuaValue.of(10), LuaValue.of("ten")).put(LuaValue.of(-1), LuaValue.of("neg"))
        .put(LuaValue.of(0.5), LuaValue.of("half")).put(LuaBoolean.TRUE, LuaBoolean.FALSE).build()));
    LuaTable c = LuaTable.builder().put("c", counting(2)).build();
    LuaTable b = LuaTable.builder().put("b", c).build();
    LuaTable l = LuaTable.ofArray(LuaTable.EMPTY, LuaTable.builder().put("x", LuaValue.of(1)).build());
    values.put("table_nested", List.of(LuaTable.builder().put("a", b).put("l", l).build()));
    values.put("multi_1_nil_three", List.of(LuaValue.of(1), LuaNil.NIL, LuaValue.of("three")));
    values.put("multi_none", List.of());
    values.put("multi_str_int_bool", List.of(LuaValue.of("echo"), LuaValue.of(42), LuaBoolean.TRUE));
    values.put("call_echo_args", Arrays.asList(LuaValue.of("echo"), LuaNil.NIL, LuaBoolean.TRUE, LuaBoolean.FALSE,
        LuaValue.of(0), LuaValue.of(-1), LuaValue.of(0x1p53), LuaValue.of(0.5), LuaValue.of("s"),
        LuaTable.builder().add(LuaValue.of(1)).add(LuaValue.of(2))
            .put("x", LuaTable.builder().put("y", LuaValue.of("z")).build()).build()));
    LuaTable deepest = LuaTable.EMPTY;
    for (int i = 1; i < 32; i++) {
      deepest = LuaTable.ofArray(deepest);
    }
    values.put("table_depth_32", List.of(deepest));
    return values;
  }

  /** {@code {1, 2, ..., size}}. */
  private static LuaTable counting(int size) {
    List<LuaValue> values = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      values.add(LuaValue.of(i));
    }
    return LuaTable.ofArray(values);
  }
}
