package io.frpc.skynet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.util.TokenBuffer;

/**
 * Binds Lua values to Java objects and back through Jackson: a {@link LuaValue} becomes a Jackson tree
 * ({@link JsonNode}), which Jackson binds to records, POJOs, maps, lists and scalars as it binds JSON; a Java object
 * becomes a tree, which becomes a Lua value. Immutable and thread-safe.
 *
 * <p>Lua to tree ({@link #toTree}):
 * <ul>
 *   <li>nil is {@code null}; a boolean a boolean;</li>
 *   <li>an integer an integral number (an {@code int} node when it fits, else a {@code long} node), a float a
 *       {@code double} node, even when whole: {@code 1.0} binds to a {@code double}, not to an {@code int};</li>
 *   <li>a string that is well-formed UTF-8 a string node, any other a binary node. Either binds to {@code String}
 *       (its text) or to {@code byte[]} (its bytes, not Base64 as in JSON); a string that is not UTF-8 refuses to
 *       bind to {@code String};</li>
 *   <li>a table whose keys are exactly {@code 1..n} (array part, then integer pairs continuing it) is an array, its
 *       nil holes {@code null}; the empty table is an empty array, which binds to an empty list, map, record or
 *       object alike;</li>
 *   <li>any other table is an object: string keys as they are, the array part's positions and integer keys as
 *       decimal text ({@code {10, x = 1}} is {@code {"1": 10, "x": 1}}), so a map with {@code Integer} keys binds
 *       from a table with integer keys. A float, boolean or table key, a key that is not UTF-8, and an integer key
 *       that collides with a string key of the same text have no object form and are refused with
 *       {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <p>Tree to Lua ({@link #fromTree}): {@code null} (and a missing node) is nil; an integral number is an integer
 * (refused beyond 64 bits), any other number a float; text a string of its UTF-8 bytes, binary a string of its bytes;
 * an array a table with only an array part ({@code null} elements are holes); an object a table with only string
 * keys, in the object's order, leaving out {@code null} members (Lua has no nil values). So a Java map's keys become
 * Lua string keys, whatever their Java type: to send integer keys, send a list or build the {@link LuaTable}.
 */
public final class LuaBinding {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonMapper mapper;

  private LuaBinding(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A binding with Jackson's defaults except: Lua's strings and the empty table as above, and a nil or missing field
   * of a primitive type binds to the type's default ({@code 0}, {@code false}) rather than failing, since Lua does
   * not tell a nil field from a missing one.
   */
  public static LuaBinding create() {
    SimpleModule luaStrings = new SimpleModule("lua-strings")
        .addDeserializer(byte[].class, new LuaBytesDeserializer())
        .addDeserializer(String.class, new LuaTextDeserializer())
        .setDeserializerModifier(new ValueDeserializerModifier() {
          @Override
          public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
              BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
            return new EmptyTableAsEmptyObject(deserializer);
          }
        });
    return new LuaBinding(JsonMapper.builder()
        .addModule(luaStrings)
        // Lua has no difference between a nil field and a missing one: either is the primitive's default
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .withCoercionConfig(LogicalType.Map, config ->
            config.setCoercion(CoercionInputShape.EmptyArray, CoercionAction.AsEmpty))
        .build());
  }

  /**
   * The Java object of type {@code type} that {@code value} binds to.
   *
   * @throws IllegalArgumentException if a table has no tree form (see the class description)
   * @throws tools.jackson.core.JacksonException if Jackson cannot bind the tree to the type
   */
  public <T> T toJava(LuaValue value, Class<T> type) {
    return mapper.treeToValue(toTree(value), type);
  }

  /** {@link #toJava(LuaValue, Class)} for a generic type, such as {@code new TypeReference<List<Item>>() {}}. */
  public <T> T toJava(LuaValue value, TypeReference<T> type) {
    return mapper.treeToValue(toTree(value), type);
  }

  /** {@link #toJava(LuaValue, Class)} for a type Jackson has constructed. */
  public <T> T toJava(LuaValue value, JavaType type) {
    return mapper.treeToValue(toTree(value), type);
  }

  /**
   * The Lua value of a Java object, as Jackson serializes it.
   *
   * @throws IllegalArgumentException if the tree holds a number beyond 64-bit integers or an embedded object
   */
  public LuaValue fromJava(Object value) {
    JsonNode tree = mapper.valueToTree(value);
    return fromTree(tree == null ? NODES.nullNode() : tree);
  }

  /** The tree of a Lua value, by the rules of the class description. */
  public JsonNode toTree(LuaValue value) {
    if (value instanceof LuaNil) {
      return NODES.nullNode();
    }
    if (value instanceof LuaBoolean bool) {
      return NODES.booleanNode(bool.value());
    }
    if (value instanceof LuaInteger integer) {
      long number = integer.value();
      return number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
    }
    if (value instanceof LuaNumber number) {
      return NODES.numberNode(number.value());
    }
    if (value instanceof LuaString string) {
      return string.isUtf8() ? NODES.stringNode(string.utf8()) : NODES.binaryNode(string.bytes());
    }
    LuaTable table = (LuaTable) value;
    List<LuaValue> sequence = sequence(table);
    if (sequence != null) {
      ArrayNode array = NODES.arrayNode(sequence.size());
      for (LuaValue element : sequence) {
        array.add(toTree(element));
      }
      return array;
    }
    ObjectNode object = NODES.objectNode();
    for (int i = 0; i < table.array().size(); i++) {
      object.set(Integer.toString(i + 1), toTree(table.array().get(i)));
    }
    for (Map.Entry<LuaValue, LuaValue> pair : table.hash().entrySet()) {
      String key = objectKey(pair.getKey());
      if (object.has(key)) {
        throw new IllegalArgumentException("table " + table + " has the keys " + key + " and \"" + key
            + "\", which are one key of a Java object or map");
      }
      object.set(key, toTree(pair.getValue()));
    }
    return object;
  }

  /** The Lua value of a tree, by the rules of the class description. */
  public LuaValue fromTree(JsonNode tree) {
    if (tree.isNull() || tree.isMissingNode()) {
      return LuaNil.NIL;
    }
    if (tree.isBoolean()) {
      return LuaValue.of(tree.booleanValue());
    }
    if (tree.isIntegralNumber()) {
      if (!tree.canConvertToLong()) {
        BigInteger big = tree.bigIntegerValue();
        throw new IllegalArgumentException("integer " + big + " does not fit Lua's 64-bit integers");
      }
      return LuaValue.of(tree.longValue());
    }
    if (tree.isNumber()) {
      return LuaValue.of(tree.doubleValue());
    }
    if (tree.isString()) {
      return LuaValue.of(tree.stringValue());
    }
    if (tree.isBinary()) {
      return LuaValue.of(tree.binaryValue());
    }
    if (tree instanceof POJONode pojo && pojo.getPojo() instanceof byte[] bytes) {
      return LuaValue.of(bytes);
    }
    if (tree.isArray()) {
      List<LuaValue> values = new ArrayList<>(tree.size());
      for (JsonNode element : tree.values()) {
        values.add(fromTree(element));
      }
      return LuaTable.ofArray(values);
    }
    if (tree.isObject()) {
      Map<LuaValue, LuaValue> pairs = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> member : tree.properties()) {
        if (!member.getValue().isNull()) {
          pairs.put(LuaValue.of(member.getKey()), fromTree(member.getValue()));
        }
      }
      return new LuaTable(List.of(), pairs);
    }
    throw new IllegalArgumentException("a " + tree.getNodeType() + " node has no Lua value");
  }

  /** The values of keys 1..n when those are all the table's keys, else null. */
  private static List<LuaValue> sequence(LuaTable table) {
    int size = table.array().size();
    if (table.hash().isEmpty()) {
      return table.array();
    }
    List<LuaValue> values = new ArrayList<>(table.array());
    for (long key = size + 1; values.size() < size + table.hash().size(); key++) {
      LuaValue value = table.hash().get(new LuaInteger(key));
      if (value == null) {
        return null;
      }
      values.add(value);
    }
    return values;
  }

  private static String objectKey(LuaValue key) {
    if (key instanceof LuaString string) {
      if (!string.isUtf8()) {
        throw new IllegalArgumentException("table key " + string + " is not UTF-8 and cannot name a Java field or"
            + " map key");
      }
      return string.utf8();
    }
    if (key instanceof LuaInteger integer) {
      return Long.toString(integer.value());
    }
    throw new IllegalArgumentException("table key " + key + " (a Lua " + luaType(key) + ") has no Java object or"
        + " map form; only string and integer keys have");
  }

  private static String luaType(LuaValue value) {
    if (value instanceof LuaBoolean) {
      return "boolean";
    }
    if (value instanceof LuaNumber) {
      return "float";
    }
    return "table";
  }

  /** A Lua string to {@code byte[]}: text as its UTF-8 bytes (not Base64), binary as it is. */
  private static final class LuaBytesDeserializer extends ValueDeserializer<byte[]> {

    @Override
    public byte[] deserialize(JsonParser parser, DeserializationContext context) {
      if (parser.hasToken(JsonToken.VALUE_STRING)) {
        return parser.getString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      if (parser.hasToken(JsonToken.VALUE_EMBEDDED_OBJECT) && parser.getEmbeddedObject() instanceof byte[] bytes) {
        return bytes;
      }
      return (byte[]) context.handleUnexpectedToken(byte[].class, parser);
    }
  }

  /**
   * A record's or a POJO's binding that also takes the empty table, which the tree holds as an empty array (a Lua
   * table does not say whether it is empty as a list or as an object), as the empty object.
   */
  private static final class EmptyTableAsEmptyObject extends DelegatingDeserializer {

    EmptyTableAsEmptyObject(ValueDeserializer<?> delegatee) {
      super(delegatee);
    }

    @Override
    protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegatee) {
      return new EmptyTableAsEmptyObject(delegatee);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) {
      if (!parser.isExpectedStartArrayToken()) {
        return super.deserialize(parser, context);
      }
      TokenBuffer array = context.bufferAsCopyOfValue(parser);
      JsonParser replay = array.asParserOnFirstToken(context);
      if (replay.nextToken() == JsonToken.END_ARRAY) {
        TokenBuffer object = context.bufferForInputBuffering(parser);
        object.writeStartObject();
        object.writeEndObject();
        replay = object.asParserOnFirstToken(context);
      } else {
        replay = array.asParserOnFirstToken(context);
      }
      return _delegatee.deserialize(replay, context);
    }
  }

  /** Jackson's own {@code String} binding, except that a binary Lua string is refused rather than Base64-encoded. */
  private static final class LuaTextDeserializer extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
      if (parser.hasToken(JsonToken.VALUE_EMBEDDED_OBJECT) && parser.getEmbeddedObject() instanceof byte[]) {
        return context.reportInputMismatch(String.class, "a Lua string that is not UTF-8 cannot bind to String;"
            + " bind it to byte[]");
      }
      return super.deserialize(parser, context);
    }
  }
}
