package io.frpc.spring.autoconfigure;

import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import io.frpc.spring.FrpcNodeCustomizer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

/**
 * Auto-configuration of an frpc node from {@code frpc.*} properties: the {@link FrpcNode} serving the
 * {@link io.frpc.spring.FrpcHandler} beans, its {@link FrpcTemplate}, node events, and static discovery.
 * The beans a user may replace are the node itself, the template and the {@link NodeDiscovery}; finer
 * adjustments go through {@link FrpcNodeCustomizer} beans.
 */
@AutoConfiguration
@EnableConfigurationProperties(FrpcProperties.class)
public final class FrpcAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  static FrpcHandlerRegistrar frpcHandlerRegistrar(ConfigurableListableBeanFactory beanFactory) {
    return new FrpcHandlerRegistrar(beanFactory);
  }

  /** The identity of the handler instance being created: injectable into {@code @FrpcHandler} beans. */
  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  @ConditionalOnMissingBean
  FrpcInstance frpcInstance(FrpcHandlerRegistrar registrar) {
    return registrar.instanceBeingCreated();
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  FrpcNode frpcNode(FrpcProperties properties, FrpcHandlerRegistrar handlers, ObjectProvider<NodeDiscovery> discovery,
      ObjectProvider<FrpcNodeCustomizer> customizers, ApplicationEventPublisher publisher) {
    NodeDiscovery nodeDiscovery = discovery.getIfAvailable();
    if (nodeDiscovery == null && properties.getDiscovery().getType() == FrpcProperties.DiscoveryType.REDIS) {
      throw new FrpcConfigurationException("frpc.discovery.type", "frpc.discovery.type=redis needs Spring Data Redis"
          + " on the classpath", "add org.springframework.boot:spring-boot-starter-data-redis and configure "
          + "spring.data.redis.*, or set frpc.discovery.type=static");
    }
    FrpcProperties.Server server = properties.getServer();
    FrpcProperties.Client client = properties.getClient();
    FrpcNode.Builder builder = FrpcNode.builder(properties.getNode().getName(), properties.getNode().getId())
        .serve(server.isEnabled())
        .mailboxCapacity(server.getMailboxCapacity())
        .includeStackTrace(server.isIncludeStacktrace())
        .shutdownTimeout(server.getShutdownTimeout())
        .handshakeTimeout(server.getHandshakeTimeout())
        .maxMessageSize(toIntBytes(properties.getMaxMessageSize().toBytes(), "frpc.max-message-size"))
        .fragmentSize(toIntBytes(properties.getFragmentSize().toBytes(), "frpc.fragment-size"))
        .heartbeat(properties.getHeartbeatInterval(), properties.getHeartbeatTimeout())
        .connectWait(client.getConnectWait())
        .callTimeout(client.getCallTimeout())
        .connectTimeout(client.getConnectTimeout())
        .reconnectBackoff(client.getReconnectInitialBackoff(), client.getReconnectMaxBackoff())
        .ioThreads(properties.getIoThreads())
        .maxQueuedOutboundBytes(properties.getMaxQueuedOutboundBytes().toBytes())
        .unwritableTimeout(properties.getUnwritableTimeout())
        .maxConnections(server.getMaxConnections())
        .maxHandshakingPerAddress(server.getMaxHandshakingPerAddress())
        .discovery(nodeDiscovery)
        .listener(new ApplicationEventNodeListener(publisher));
    if (properties.getMaxInboundBytes() != null) {
      builder.maxInboundBytes(properties.getMaxInboundBytes().toBytes());
    }
    if (server.isEnabled()) {
      builder.listen(server.getHost(), server.getPort());
      handlers.definitions().forEach(builder::handler);
    }
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  FrpcTemplate frpcTemplate(FrpcNode node) {
    return node.template();
  }

  @Bean
  @ConditionalOnMissingBean(NodeDiscovery.class)
  @ConditionalOnProperty(name = "frpc.discovery.type", havingValue = "static", matchIfMissing = true)
  StaticNodeDiscovery frpcStaticNodeDiscovery(FrpcProperties properties) {
    Map<NodeId, HostPort> nodes = new LinkedHashMap<>();
    properties.getDiscovery().getStatic().getNodes().forEach((name, byId) -> byId.forEach((id, address) -> {
      String property = "frpc.discovery.static.nodes." + name + "." + id;
      try {
        nodes.put(new NodeId(name, id), HostPort.parse(address, property));
      } catch (IllegalArgumentException e) {
        throw new FrpcConfigurationException(property, e.getMessage(), "write it as host:port, e.g. "
            + "10.0.0.11:9688");
      }
    }));
    return new StaticNodeDiscovery(nodes);
  }

  @Bean
  @ConditionalOnMissingBean
  FrpcLifecycle frpcLifecycle(FrpcNode node, ObjectProvider<NodeListener> listeners) {
    return new FrpcLifecycle(node, listeners);
  }

  private static int toIntBytes(long bytes, String property) {
    if (bytes > Integer.MAX_VALUE - 1024) {
      throw new FrpcConfigurationException(property, property + " must be below 2 GB but was " + bytes + " bytes",
          "set a smaller size, e.g. 128MB");
    }
    return (int) bytes;
  }
}
