package io.frpc.skynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/** Lua values to Java objects and back through Jackson, by the rules LuaBinding's Javadoc writes. */
class LuaBindingTest {

  /** A player as a Lua module would send it: {@code {id = 7, name = "ann", hp = 0.5, items = {...}, avatar = ...}}. */
  record Player(long id, String name, double hp, List<Item> items, byte[] avatar) {
  }

  record Item(int kind, int count) {
  }

  record Bag(Item item, Map<String, Integer> counts, List<Integer> list) {
  }

  private final LuaBinding binding = LuaBinding.create();

  private final LuaTable player = LuaTable.builder()
      .put("id", LuaValue.of(7))
      .put("name", LuaValue.of("ann"))
      .put("hp", LuaValue.of(0.5))
      .put("items", LuaTable.ofArray(
          LuaTable.builder().put("kind", LuaValue.of(1)).put("count", LuaValue.of(3)).build(),
          LuaTable.builder().put("kind", LuaValue.of(2)).put("count", LuaValue.of(1)).build()))
      .put("avatar", LuaValue.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
      .build();

  @Test
  void aTableWithStringKeysBindsToARecord() {
    Player bound = binding.toJava(player, Player.class);
    assertThat(bound.id()).isEqualTo(7);
    assertThat(bound.name()).isEqualTo("ann");
    assertThat(bound.hp()).isEqualTo(0.5);
    assertThat(bound.items()).containsExactly(new Item(1, 3), new Item(2, 1));
    assertThat(bound.avatar()).containsExactly(0x89, 'P', 'N', 'G');
  }

  @Test
  void aRecordBecomesTheSameTable() {
    Player bound = binding.toJava(player, Player.class);
    assertThat(binding.fromJava(bound)).isEqualTo(player);
  }

  @Test
  void anArrayTableBindsToAListAndAListBecomesOne() {
    LuaTable array = LuaTable.ofArray(LuaValue.of(1), LuaValue.of(2), LuaValue.of(3));
    assertThat(binding.toJava(array, new TypeReference<List<Integer>>() { })).containsExactly(1, 2, 3);
    assertThat(binding.fromJava(List.of(1, 2, 3))).isEqualTo(array);
    assertThat(binding.fromJava(new int[] {1, 2, 3})).isEqualTo(array);
  }

  @Test
  void integersAndFloatsStayApart() {
    LuaTable numbers = LuaTable.ofArray(LuaValue.of(1), LuaValue.of(1.0), LuaValue.of(1L << 40));
    assertThat(binding.toJava(numbers, new TypeReference<List<Object>>() { }))
        .containsExactly(1, 1.0, 1L << 40);
    assertThat(binding.fromJava(Arrays.asList(1, 1.0, 1L << 40, 2.5f))).isEqualTo(LuaTable.ofArray(
        LuaValue.of(1), LuaValue.of(1.0), LuaValue.of(1L << 40), LuaValue.of(2.5)));
    assertThatThrownBy(() -> binding.fromJava(new java.math.BigInteger("18446744073709551616")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64-bit");
  }

  @Test
  void stringsBindToTextOrToTheirBytes() {
    assertThat(binding.toJava(LuaValue.of("héllo"), String.class)).isEqualTo("héllo");
    assertThat(binding.toJava(LuaValue.of("héllo"), byte[].class)).containsExactly("héllo".getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    assertThat(binding.fromJava("héllo")).isEqualTo(LuaValue.of("héllo"));
    assertThat(binding.fromJava(new byte[] {0, (byte) 0xff})).isEqualTo(LuaValue.of(new byte[] {0, (byte) 0xff}));
  }

  @Test
  void aStringThatIsNotUtf8RefusesToBindToText() {
    assertThatThrownBy(() -> binding.toJava(LuaValue.of(new byte[] {(byte) 0xff}), String.class))
        .isInstanceOf(JacksonException.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void aTableWithStringKeysBindsToAMapInItsOrder() {
    LuaTable table = LuaTable.builder().put("b", LuaValue.of(2)).put("a", LuaValue.of("x")).build();
    Map<String, Object> map = binding.toJava(table, new TypeReference<Map<String, Object>>() { });
    assertThat(map).containsExactly(Map.entry("b", 2), Map.entry("a", "x"));
    Map<String, Object> back = new LinkedHashMap<>(map);
    back.put("gone", null);
    assertThat(binding.fromJava(back)).isEqualTo(table);
  }

  @Test
  void integerKeysBindToAMapWithIntegerKeys() {
    LuaTable byId = LuaTable.builder().put(LuaValue.of(10001), LuaValue.of("sword"))
        .put(LuaValue.of(-3), LuaValue.of("shield")).build();
    assertThat(binding.toJava(byId, new TypeReference<Map<Integer, String>>() { }))
        .containsExactly(Map.entry(10001, "sword"), Map.entry(-3, "shield"));
    // the way back gives string keys: Jackson writes every map key as text
    assertThat(binding.fromJava(Map.of(5, "x"))).isEqualTo(LuaTable.builder().put("5", LuaValue.of("x")).build());
  }

  @Test
  void aMixedTableIsAnObjectWithItsPositionsAsKeys() {
    LuaTable mixed = LuaTable.builder().add(LuaValue.of(10)).add(LuaValue.of(20)).put("n", LuaValue.of(2)).build();
    assertThat(binding.toTree(mixed).toString()).isEqualTo("{\"1\":10,\"2\":20,\"n\":2}");
  }

  @Test
  void integerPairsContinuingTheArrayPartMakeAList() {
    LuaTable pairs = LuaTable.builder().add(LuaValue.of("a")).put(LuaValue.of(3), LuaValue.of("c"))
        .put(LuaValue.of(2), LuaValue.of("b")).build();
    assertThat(binding.toJava(pairs, new TypeReference<List<String>>() { })).containsExactly("a", "b", "c");
  }

  @Test
  void holesAreNulls() {
    LuaTable holes = LuaTable.ofArray(LuaValue.of(1), LuaNil.NIL, LuaValue.of(3));
    assertThat(binding.toJava(holes, new TypeReference<List<Integer>>() { })).containsExactly(1, null, 3);
    assertThat(binding.fromJava(Arrays.asList(1, null, 3))).isEqualTo(holes);
  }

  @Test
  void theEmptyTableBindsToAnEmptyListMapOrRecord() {
    assertThat(binding.toJava(LuaTable.EMPTY, new TypeReference<List<Integer>>() { })).isEmpty();
    assertThat(binding.toJava(LuaTable.EMPTY, new TypeReference<Map<String, Integer>>() { })).isEmpty();
    Item empty = binding.toJava(LuaTable.EMPTY, Item.class);
    assertThat(empty).isEqualTo(new Item(0, 0));
  }

  @Test
  void emptyTablesInsideARecordBindToEmptyValuesOfEachFieldsType() {
    LuaTable bag = LuaTable.builder().put("item", LuaTable.EMPTY).put("counts", LuaTable.EMPTY)
        .put("list", LuaTable.EMPTY).build();
    assertThat(binding.toJava(bag, Bag.class)).isEqualTo(new Bag(new Item(0, 0), Map.of(), List.of()));
  }

  @Test
  void aMissingPrimitiveFieldIsItsDefaultAsANilFieldIsInLua() {
    LuaTable partial = LuaTable.builder().put("kind", LuaValue.of(4)).build();
    assertThat(binding.toJava(partial, Item.class)).isEqualTo(new Item(4, 0));
  }

  @Test
  void keysWithNoJavaFormAreRefused() {
    assertThatThrownBy(() -> binding.toTree(LuaTable.builder().put(LuaValue.of(0.5), LuaValue.of(1)).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a Lua float");
    assertThatThrownBy(() -> binding.toTree(LuaTable.builder().put(LuaBoolean.TRUE, LuaValue.of(1)).build()))
        .hasMessageContaining("a Lua boolean");
    assertThatThrownBy(() -> binding.toTree(LuaTable.builder().put(LuaValue.of(7), LuaValue.of(1))
        .put("7", LuaValue.of(2)).build())).hasMessageContaining("one key");
  }

  @Test
  void nilIsNull() {
    assertThat(binding.toJava(LuaNil.NIL, Item.class)).isNull();
    assertThat(binding.fromJava(null)).isEqualTo(LuaNil.NIL);
  }
}
