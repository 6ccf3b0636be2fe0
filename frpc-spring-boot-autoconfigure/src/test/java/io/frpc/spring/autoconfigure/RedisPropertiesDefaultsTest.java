package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.discovery.redis.RedisDiscoverySettings;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;

/**
 * The defaults of {@code frpc.discovery.redis.*} are those of frpc-discovery-redis ({@link RedisDiscoverySettings}),
 * in the properties and in the metadata that documents them (written by hand in
 * additional-spring-configuration-metadata.json: the configuration processor cannot read a constant of another
 * class).
 */
class RedisPropertiesDefaultsTest {

  @Test
  void everyDocumentedRedisDefaultIsTheConstantOfTheDiscoveryModule() throws IOException {
    Map<String, JsonNode> documented = new TreeMap<>();
    ConfigurationMetadataTest.frpcProperties(ConfigurationMetadataTest.readFrpcMetadata()).forEach((name, property) -> {
      if (name.startsWith("frpc.discovery.redis.") && property.has("defaultValue")) {
        documented.put(name.substring("frpc.discovery.redis.".length()), property.get("defaultValue"));
      }
    });

    assertThat(documented).containsOnlyKeys("key-prefix", "ttl", "refresh-interval", "resync-interval",
        "configure-keyspace-events", "register", "max-nodes-per-name");
    assertThat(documented.get("key-prefix").asString()).isEqualTo(RedisDiscoverySettings.DEFAULT_KEY_PREFIX);
    assertThat(DurationStyle.detectAndParse(documented.get("ttl").asString()))
        .isEqualTo(RedisDiscoverySettings.DEFAULT_TTL);
    assertThat(DurationStyle.detectAndParse(documented.get("refresh-interval").asString()))
        .isEqualTo(RedisDiscoverySettings.DEFAULT_REFRESH_INTERVAL);
    assertThat(DurationStyle.detectAndParse(documented.get("resync-interval").asString()))
        .isEqualTo(RedisDiscoverySettings.DEFAULT_RESYNC_INTERVAL);
    assertThat(documented.get("configure-keyspace-events").asBoolean())
        .isEqualTo(RedisDiscoverySettings.DEFAULT_CONFIGURE_KEYSPACE_EVENTS);
    assertThat(documented.get("register").asBoolean()).isEqualTo(RedisDiscoverySettings.DEFAULT_REGISTER);
    assertThat(documented.get("max-nodes-per-name").asInt())
        .isEqualTo(RedisDiscoverySettings.DEFAULT_MAX_NODES_PER_NAME);
  }

  @Test
  void unsetRedisPropertiesHoldTheConstantsOfTheDiscoveryModule() {
    FrpcProperties.Redis redis = new FrpcProperties().getDiscovery().getRedis();

    assertThat(redis.getKeyPrefix()).isEqualTo(RedisDiscoverySettings.DEFAULT_KEY_PREFIX);
    assertThat(redis.getTtl()).isEqualTo(RedisDiscoverySettings.DEFAULT_TTL);
    assertThat(redis.getRefreshInterval()).isEqualTo(RedisDiscoverySettings.DEFAULT_REFRESH_INTERVAL);
    assertThat(redis.getResyncInterval()).isEqualTo(RedisDiscoverySettings.DEFAULT_RESYNC_INTERVAL);
    assertThat(redis.isConfigureKeyspaceEvents()).isEqualTo(RedisDiscoverySettings.DEFAULT_CONFIGURE_KEYSPACE_EVENTS);
    assertThat(redis.isRegister()).isEqualTo(RedisDiscoverySettings.DEFAULT_REGISTER);
    assertThat(redis.getMaxNodesPerName()).isEqualTo(RedisDiscoverySettings.DEFAULT_MAX_NODES_PER_NAME);
    assertThat(redis.getWatch()).isEmpty();
  }
}
