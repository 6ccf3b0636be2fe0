package io.frpc.spring.autoconfigure;

import io.frpc.FrpcConfigurationException;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.internal.Names;
import io.frpc.discovery.redis.RedisDiscoverySettings;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis discovery ({@code frpc.discovery.type=redis}) over the application's Spring Data Redis
 * connection ({@code spring.data.redis.*}).
 */
@AutoConfiguration(after = {DataRedisAutoConfiguration.class, FrpcAutoConfiguration.class})
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnProperty(name = "frpc.discovery.type", havingValue = "redis")
public final class FrpcRedisDiscoveryAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(NodeDiscovery.class)
  RedisNodeDiscovery frpcRedisNodeDiscovery(FrpcProperties properties,
      ObjectProvider<DataRedisProperties> redisProperties, RedisConnectionFactory connectionFactory) {
    FrpcProperties.Redis redis = properties.getDiscovery().getRedis();
    DataRedisProperties dataRedis = redisProperties.getIfAvailable();
    // the names become parts of key patterns (SCAN, PSUBSCRIBE): no glob characters, no ':'
    redis.getWatch().forEach(name -> Names.checkNodeName(name, "frpc.discovery.redis.watch"));
    RedisDiscoverySettings settings = new RedisDiscoverySettings(redis.getKeyPrefix(), redis.getTtl(),
        redis.getRefreshInterval(), redis.getResyncInterval(), redis.getWatch(), redis.isConfigureKeyspaceEvents(),
        dataRedis == null ? 0 : dataRedis.getDatabase(), redis.getMaxNodesPerName());
    boolean registers = properties.getServer().isEnabled() && redis.isRegister();
    return new RedisNodeDiscovery(registers ? advertisedHost(properties.getServer()) : null,
        properties.getServer().getSsl().getBundle() != null, properties.getClient().getSsl().getBundle() != null,
        settings, connectionFactory);
  }

  /**
   * How other nodes reach this one: the configured host, else the listen host, else (listening on all
   * interfaces) a site-local IPv4 address of an interface that is up, else this host name's address.
   */
  static String advertisedHost(FrpcProperties.Server server) {
    if (server.getAdvertisedHost() != null && !server.getAdvertisedHost().isBlank()) {
      return server.getAdvertisedHost();
    }
    InetSocketAddress listen = new InetSocketAddress(server.getHost(), 0);
    if (listen.getAddress() != null && !listen.getAddress().isAnyLocalAddress()) {
      return listen.getAddress().getHostAddress();
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback() && !nic.isVirtual()) {
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (address instanceof Inet4Address && address.isSiteLocalAddress()) {
              return address.getHostAddress();
            }
          }
        }
      }
      return InetAddress.getLocalHost().getHostAddress();
    } catch (SocketException | UnknownHostException e) {
      throw new FrpcConfigurationException("frpc.server.advertised-host", "cannot determine this machine's address"
          + " for Redis discovery", "set frpc.server.advertised-host to the host other nodes should connect to", e);
    }
  }
}
