package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The configuration metadata generated from {@link FrpcProperties} documents every property. */
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
      "frpc.server.enabled", "frpc.server.host", "frpc.server.port", "frpc.server.handshake-timeout",
      "frpc.server.shutdown-timeout", "frpc.server.include-stacktrace", "frpc.server.mailbox-capacity",
      "frpc.client.connect-wait", "frpc.client.call-timeout", "frpc.client.connect-timeout",
      "frpc.client.reconnect-initial-backoff", "frpc.client.reconnect-max-backoff",
      "frpc.max-message-size", "frpc.fragment-size", "frpc.heartbeat-interval", "frpc.heartbeat-timeout",
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

  private static String description(JsonNode property) {
    return property.path("description").asString("");
  }

  private static Map<String, JsonNode> frpcProperties(JsonNode metadata) {
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
  private static JsonNode readFrpcMetadata() throws IOException {
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
