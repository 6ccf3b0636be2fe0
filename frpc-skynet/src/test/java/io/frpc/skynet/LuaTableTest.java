package io.frpc.skynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A table holds what a Lua table can hold, and compares as one. */
class LuaTableTest {

  @Test
  void theOrderOfPairsDoesNotMatterToEquality() {
    LuaTable ab = LuaTable.builder().put("a", LuaValue.of(1)).put("b", LuaValue.of(2)).build();
    LuaTable ba = LuaTable.builder().put("b", LuaValue.of(2)).put("a", LuaValue.of(1)).build();
    assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
    assertThat(ab.hash().keySet()).containsExactly(LuaValue.of("a"), LuaValue.of("b"));
  }

  @Test
  void theOrderOfTheArrayPartDoes() {
    assertThat(LuaTable.ofArray(LuaValue.of(1), LuaValue.of(2)))
        .isNotEqualTo(LuaTable.ofArray(LuaValue.of(2), LuaValue.of(1)));
  }

  @Test
  void aWholeFloatKeyIsTheIntegerKey() {
    LuaTable table = LuaTable.builder().put(LuaValue.of(5.0), LuaValue.of("five")).build();
    assertThat(table.hash()).containsOnlyKeys(LuaValue.of(5));
    assertThat(table.get(5)).isEqualTo(LuaValue.of("five"));
    assertThat(table.get(LuaValue.of(5.0))).isEqualTo(LuaValue.of("five"));
  }

  @Test
  void whatLuaCannotHoldIsRefused() {
    assertThatThrownBy(() -> LuaTable.builder().put(LuaNil.NIL, LuaValue.of(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nil cannot be a Lua table key");
    assertThatThrownBy(() -> LuaTable.builder().put(LuaValue.of(Double.NaN), LuaValue.of(1)).build())
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> LuaTable.builder().put("a", LuaNil.NIL).build()).hasMessageContaining("nil value");
    assertThatThrownBy(() -> LuaTable.builder().add(LuaValue.of(1)).put(LuaValue.of(1), LuaValue.of(2)).build())
        .hasMessageContaining("belongs to the array part");
    assertThatThrownBy(() -> new LuaTable(List.of(), Map.of(LuaValue.of(2), LuaValue.of(1), LuaValue.of(2.0),
        LuaValue.of(1)))).hasMessageContaining("given twice");
  }

  @Test
  void getReadsAsLuaReads() {
    LuaTable table = LuaTable.builder().add(LuaValue.of("one")).add(LuaNil.NIL).put("k", LuaBoolean.TRUE).build();
    assertThat(table.get(1)).isEqualTo(LuaValue.of("one"));
    assertThat(table.get(2)).isEqualTo(LuaNil.NIL);
    assertThat(table.get(3)).isEqualTo(LuaNil.NIL);
    assertThat(table.get("k")).isEqualTo(LuaBoolean.TRUE);
    assertThat(table.get(LuaNil.NIL)).isEqualTo(LuaNil.NIL);
    assertThat(table).hasToString("{\"one\", nil, [\"k\"]=true}");
  }

  @Test
  void partsCannotBeChangedAfterwards() {
    LuaTable table = LuaTable.ofArray(LuaValue.of(1));
    assertThatThrownBy(() -> table.array().add(LuaValue.of(2))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> table.hash().put(LuaValue.of("a"), LuaValue.of(2)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void stringsCompareByContentAndKeepTheirOwnBytes() {
    byte[] bytes = {1, 2, 3};
    LuaString string = new LuaString(bytes);
    bytes[0] = 9;
    assertThat(string.bytes()).containsExactly(1, 2, 3);
    string.bytes()[1] = 9;
    assertThat(string).isEqualTo(new LuaString(new byte[] {1, 2, 3})).hasSameHashCodeAs(LuaValue.of(new byte[] {1,
        2, 3}));
    assertThat(LuaValue.of(new byte[] {(byte) 0xff})).hasToString("0xff");
  }
}
