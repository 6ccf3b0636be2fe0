package io.frpc.spring.autoconfigure;

import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Redis discovery ({@code frpc.discovery.type=redis}) over the application's Spring Data Redis
 * connection ({@code spring.data.redis.*}): {@code frpc.discovery.redis.*} mapped onto
 * {@link RedisNodeDiscovery#builder}.
 */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, FrpcAutoConfiguration.class})
@ConditionalOnClass({RedisNodeDiscovery.class, DataRedisAutoConfiguration.class})
@ConditionalOnProperty(name = "frpc.discovery.type", havingValue = "redis")
public final class FrpcRedisDiscoveryAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(NodeDiscovery.class)
  RedisNodeDiscovery frpcRedisNodeDiscovery(FrpcProperties properties,
      ObjectProvider<DataRedisProperties> redisProperties, RedisConnectionFactory connectionFactory) {
    FrpcProperties.Redis redis = properties.getDiscovery().getRedis();
    FrpcProperties.Server server = properties.getServer();
    RedisNodeDiscovery.Builder discovery = RedisNodeDiscovery.builder(connectionFactory);
    PropertyMapper map = PropertyMapper.get();
    map.from(redis::getKeyPrefix).to(discovery::keyPrefix);
    map.from(redis::getTtl).to(discovery::ttl);
    map.from(redis::getRefreshInterval).to(discovery::refreshInterval);
    map.from(redis::getResyncInterval).to(discovery::resyncInterval);
    map.from(redis::getWatch).to(discovery::watch);
    map.from(redis::isConfigureKeyspaceEvents).to(discovery::configureKeyspaceEvents);
    map.from(redis::getMaxNodesPerName).to(discovery::maxNodesPerName);
    map.from(redis::isRegister).to(discovery::register);
    map.from(redisProperties::getIfAvailable).as(DataRedisProperties::getDatabase).to(discovery::database);
    map.from(server.getSsl()::getBundle).toCall(() -> discovery.listenerTls(true));
    map.from(properties.getClient().getSsl()::getBundle).toCall(() -> discovery.callsOverTls(true));
    if (server.isEnabled() && redis.isRegister()) {
      discovery.advertisedHost(advertisedHost(server));
    }
    return discovery.build();
  }

  /**
   * How other nodes reach this one: the configured host, else what Redis discovery registers for the listen host
   * ({@link RedisNodeDiscovery#advertisedHost(String)}).
   */
  static String advertisedHost(FrpcProperties.Server server) {
    return StringUtils.hasText(server.getAdvertisedHost()) ? server.getAdvertisedHost()
        : RedisNodeDiscovery.advertisedHost(server.getHost());
  }
}
