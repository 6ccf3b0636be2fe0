package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata generated from {@link FrpcProperties} documents every property, with the default
 * the property has, which is the core's ({@code FrpcNode.DEFAULT_*}) wherever the core has one.
 */
class ConfigurationMetadataTest {

  private static final String METADATA = "META-INF/spring-configuration-metadata.json";

  private Map<String, JsonNode> properties;

  @BeforeEach
  void loadMetadata() throws IOException {
    properties = frpcProperties(readFrpcMetadata());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "frpc.node.name", "frpc.node.id",
      "frpc.server.enabled", "frpc.server.transport", "frpc.server.host", "frpc.server.port", "frpc.handshake-timeout",
      "frpc.server.shutdown-timeout", "frpc.server.include-stacktrace", "frpc.server.mdc",
      "frpc.server.mailbox-capacity", "frpc.client.connect-wait", "frpc.client.call-timeout", "frpc.client.connect-timeout",
      "frpc.client.reconnect-initial-backoff", "frpc.client.reconnect-max-backoff",
      "frpc.max-message-size", "frpc.max-message-tokens", "frpc.fragment-size", "frpc.heartbeat-interval", "frpc.heartbeat-timeout",
      "frpc.io-threads", "frpc.discovery.type", "frpc.discovery.static.nodes"})
  void propertyIsListedWithADescription(String name) {
    assertThat(properties).containsKey(name);
    assertThat(description(properties.get(name))).as("description of %s", name).isNotBlank();
  }

  @Test
  void everyFrpcPropertyHasADescription() {
    List<String> undocumented = new ArrayList<>();
    properties.forEach((name, property) -> {
      if (description(property).isBlank()) {
        undocumented.add(name);
      }
    });
    assertThat(properties).isNotEmpty();
    assertThat(undocumented).as("frpc properties without a description").isEmpty();
  }

  @Test
  void serverPortDefaultsTo9688() {
    assertThat(properties.get("frpc.server.port").path("defaultValue").asInt(-1)).isEqualTo(9688);
  }

  @Test
  void discoveryTypeDefaultsToStatic() {
    assertThat(properties.get("frpc.discovery.type").path("defaultValue").asString("")).isEqualTo("static");
  }

  @Test
  void everyCoreDefaultIsTheMetadataDefault() {
    List<String> differing = new ArrayList<>();
    CORE_DEFAULTS.forEach((name, constant) -> {
      JsonNode defaultValue = properties.get(name).path("defaultValue");
      Object documented = defaultValue.isMissingNode() ? null : parse(defaultValue, constant.getClass());
      if (!constant.equals(documented)) {
        differing.add(name + ": metadata " + defaultValue + ", FrpcNode " + constant);
      }
    });
    assertThat(differing).as("metadata defaults (additional-spring-configuration-metadata.json) that differ from "
        + "the FrpcNode.DEFAULT_* constant").isEmpty();
  }

  @Test
  void everyCoreDefaultIsThePropertiesDefault() {
    BeanWrapper unset = new BeanWrapperImpl(new FrpcProperties());
    List<String> differing = new ArrayList<>();
    CORE_DEFAULTS.forEach((name, constant) -> {
      Object value = unset.getPropertyValue(beanPath(name));
      if (!normalized(constant).equals(normalized(value))) {
        differing.add(name + ": FrpcProperties " + value + ", FrpcNode " + constant);
      }
    });
    assertThat(differing).as("FrpcProperties defaults that differ from the FrpcNode.DEFAULT_* constant").isEmpty();
  }

  /**
   * So a property of {@link FrpcProperties} whose default is set in code but missing from the metadata, or the
   * other way round, is found.
   */
  @Test
  void everyPropertyThatHasADefaultDocumentsIt() {
    BeanWrapper unset = new BeanWrapperImpl(new FrpcProperties());
    List<String> differing = new ArrayList<>();
    properties.forEach((name, property) -> {
      if (!property.path("sourceType").asString("").startsWith(FrpcProperties.class.getName())) {
        return; // bound by another class (the endpoint's, or a section moved out of FrpcProperties)
      }
      Object value = unset.getPropertyValue(beanPath(name));
      if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
        return;
      }
      JsonNode defaultValue = property.path("defaultValue");
      Object documented = defaultValue.isMissingNode() || value == null ? null : parse(defaultValue, value.getClass());
      boolean same = value == null ? defaultValue.isMissingNode() : value.equals(documented);
      if (!same) {
        differing.add(name + ": FrpcProperties " + value + ", metadata " + defaultValue);
      }
    });
    assertThat(properties).containsKeys(CORE_DEFAULTS.keySet().toArray(String[]::new));
    assertThat(differing).as("properties whose metadata default is not their default").isEmpty();
  }

  /** Every property that defaults to a constant of the core, with that constant. */
  private static final Map<String, Object> CORE_DEFAULTS = Map.ofEntries(
      Map.entry("frpc.server.enabled", FrpcNode.DEFAULT_SERVE),
      Map.entry("frpc.server.transport", FrpcNode.DEFAULT_TRANSPORT),
      Map.entry("frpc.server.host", FrpcNode.DEFAULT_HOST),
      Map.entry("frpc.server.port", FrpcNode.DEFAULT_PORT),
      Map.entry("frpc.handshake-timeout", FrpcNode.DEFAULT_HANDSHAKE_TIMEOUT),
      Map.entry("frpc.server.shutdown-timeout", FrpcNode.DEFAULT_SHUTDOWN_TIMEOUT),
      Map.entry("frpc.server.include-stacktrace", FrpcNode.DEFAULT_INCLUDE_STACK_TRACE),
      Map.entry("frpc.server.mdc", FrpcNode.DEFAULT_MDC),
      Map.entry("frpc.server.mailbox-capacity", FrpcNode.DEFAULT_MAILBOX_CAPACITY),
      Map.entry("frpc.server.max-handshaking", FrpcNode.DEFAULT_MAX_HANDSHAKING),
      Map.entry("frpc.server.max-handshaking-per-network", FrpcNode.DEFAULT_MAX_HANDSHAKING_PER_NETWORK),
      Map.entry("frpc.server.max-handshaking-per-address", FrpcNode.DEFAULT_MAX_HANDSHAKING_PER_ADDRESS),
      Map.entry("frpc.server.handshake-rate-per-address", FrpcNode.DEFAULT_HANDSHAKE_RATE_PER_ADDRESS),
      Map.entry("frpc.client.connect-wait", FrpcNode.DEFAULT_CONNECT_WAIT),
      Map.entry("frpc.client.call-timeout", FrpcNode.DEFAULT_CALL_TIMEOUT),
      Map.entry("frpc.client.connect-timeout", FrpcNode.DEFAULT_CONNECT_TIMEOUT),
      Map.entry("frpc.client.reconnect-initial-backoff", FrpcNode.DEFAULT_RECONNECT_INITIAL_BACKOFF),
      Map.entry("frpc.client.reconnect-max-backoff", FrpcNode.DEFAULT_RECONNECT_MAX_BACKOFF),
      Map.entry("frpc.client.direct-completion", FrpcNode.DEFAULT_DIRECT_COMPLETION),
      Map.entry("frpc.client.retry.max-attempts", FrpcNode.DEFAULT_RETRY_MAX_ATTEMPTS),
      Map.entry("frpc.client.retry.backoff", FrpcNode.DEFAULT_RETRY_BACKOFF),
      Map.entry("frpc.client.retry.budget-ratio", FrpcNode.DEFAULT_RETRY_BUDGET_RATIO),
      Map.entry("frpc.client.retry.budget-min-per-second", FrpcNode.DEFAULT_RETRY_BUDGET_MIN_PER_SECOND),
      Map.entry("frpc.client.load-balancing", FrpcNode.DEFAULT_LOAD_BALANCING),
      Map.entry("frpc.max-message-size", DataSize.ofBytes(FrpcNode.DEFAULT_MAX_MESSAGE_SIZE)),
      Map.entry("frpc.max-message-tokens", FrpcNode.DEFAULT_MAX_MESSAGE_TOKENS),
      Map.entry("frpc.fragment-size", DataSize.ofBytes(FrpcNode.DEFAULT_FRAGMENT_SIZE)),
      Map.entry("frpc.fragment-window", DataSize.ofBytes(FrpcNode.DEFAULT_FRAGMENT_WINDOW)),
      Map.entry("frpc.heartbeat-interval", FrpcNode.DEFAULT_HEARTBEAT_INTERVAL),
      Map.entry("frpc.heartbeat-timeout", FrpcNode.DEFAULT_HEARTBEAT_TIMEOUT),
      Map.entry("frpc.io-threads", FrpcNode.DEFAULT_IO_THREADS),
      Map.entry("frpc.max-queued-outbound-bytes", DataSize.ofBytes(FrpcNode.DEFAULT_MAX_QUEUED_OUTBOUND_BYTES)),
      Map.entry("frpc.unwritable-timeout", FrpcNode.DEFAULT_UNWRITABLE_TIMEOUT),
      Map.entry("frpc.pubsub.max-subscriptions-per-connection", FrpcNode.DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION),
      Map.entry("frpc.pubsub.subscriber-backlog", FrpcNode.DEFAULT_SUBSCRIBER_BACKLOG));

  /**
   * A metadata default as a value of {@code type}: {@code "5s"} as a Duration, {@code "static"} or
   * {@code "round-robin"} as an enum (its constant in lower case, dashes for underscores).
   */
  private static Object parse(JsonNode defaultValue, Class<?> type) {
    if (type == Duration.class) {
      return DurationStyle.detectAndParse(defaultValue.asString());
    }
    if (type == DataSize.class) {
      return DataSize.parse(defaultValue.asString());
    }
    if (type.isEnum()) {
      return Arrays.stream(type.getEnumConstants())
          .filter(constant -> ((Enum<?>) constant).name().replace('_', '-').equalsIgnoreCase(defaultValue.asString()))
          .findFirst().orElse(null);
    }
    if (type == Integer.class) {
      return defaultValue.isInt() ? defaultValue.asInt() : null;
    }
    if (type == Boolean.class) {
      return defaultValue.isBoolean() ? defaultValue.asBoolean() : null;
    }
    if (type == Double.class) {
      return defaultValue.isNumber() ? defaultValue.asDouble() : null;
    }
    return defaultValue.isString() ? defaultValue.asString() : null;
  }

  private static Object normalized(Object value) {
    if (value instanceof DataSize size) {
      return size.toBytes();
    }
    return value instanceof Integer number ? (Object) number.longValue() : value;
  }

  /** {@code frpc.server.max-handshaking} as the bean path {@code server.maxHandshaking}. */
  private static String beanPath(String property) {
    StringBuilder path = new StringBuilder();
    boolean upper = false;
    for (char c : property.substring("frpc.".length()).toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        path.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return path.toString();
  }

  private static String description(JsonNode property) {
    return property.path("description").asString("");
  }

  static Map<String, JsonNode> frpcProperties(JsonNode metadata) {
    Map<String, JsonNode> result = new LinkedHashMap<>();
    for (JsonNode property : metadata.path("properties")) {
      String name = property.path("name").asString("");
      if (name.startsWith("frpc.")) {
        result.put(name, property);
      }
    }
    return result;
  }

  /**
   * The metadata file of this module. Other jars on the test classpath carry a file of the same name,
   * so the one describing {@link FrpcProperties} is picked; target/classes is the fallback.
   */
  static JsonNode readFrpcMetadata() throws IOException {
    JsonMapper mapper = JsonMapper.builder().build();
    for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA))) {
      try (InputStream in = url.openStream()) {
        JsonNode metadata = mapper.readTree(in);
        for (JsonNode group : metadata.path("groups")) {
          if (FrpcProperties.class.getName().equals(group.path("type").asString(""))) {
            return metadata;
          }
        }
      }
    }
    Path file = Path.of("target", "classes", METADATA);
    assertThat(file).as("generated configuration metadata").exists();
    try (InputStream in = Files.newInputStream(file)) {
      return mapper.readTree(in);
    }
  }
}
