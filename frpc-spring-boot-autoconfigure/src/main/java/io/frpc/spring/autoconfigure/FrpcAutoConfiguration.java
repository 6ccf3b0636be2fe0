package io.frpc.spring.autoconfigure;

import io.frpc.FrpcTemplate;
import io.frpc.LocalNode;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import io.frpc.module.ModuleRegistry;
import io.frpc.module.RequestDispatcher;
import io.frpc.protocol.PayloadCodec;
import io.frpc.routing.CallExecutor;
import io.frpc.routing.ClientSettings;
import io.frpc.routing.FrpcClient;
import io.frpc.transport.ClientConnector;
import io.frpc.transport.FrpcServer;
import io.frpc.transport.ServerSettings;
import io.frpc.transport.TransportResources;
import io.frpc.transport.TransportSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of an frpc node: the listener serving {@link io.frpc.spring.FrpcHandler} beans,
 * the client and {@link FrpcTemplate}, node events, and static discovery. Every bean backs off when
 * the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(FrpcProperties.class)
public final class FrpcAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  LocalNode frpcLocalNode(FrpcProperties properties) {
    String name = properties.getNode().getName();
    if (!StringUtils.hasText(name)) {
      throw new IllegalStateException("frpc.node.name is required: set it to the name other nodes call this one by"
          + " (for example frpc.node.name=game), and frpc.node.id to its id among nodes of that name");
    }
    return LocalNode.start(name, properties.getNode().getId());
  }

  @Bean
  @ConditionalOnMissingBean
  PayloadCodec frpcPayloadCodec() {
    return new PayloadCodec();
  }

  @Bean
  @ConditionalOnMissingBean
  TransportSettings frpcTransportSettings(FrpcProperties properties) {
    return new TransportSettings(toIntBytes(properties.getMaxMessageSize().toBytes(), "frpc.max-message-size"),
        toIntBytes(properties.getFragmentSize().toBytes(), "frpc.fragment-size"),
        properties.getHeartbeatInterval(), properties.getHeartbeatTimeout(),
        properties.getServer().getHandshakeTimeout());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  TransportResources frpcTransportResources(LocalNode node, FrpcProperties properties) {
    int ioThreads = properties.getIoThreads() > 0 ? properties.getIoThreads()
        : Math.min(4, Runtime.getRuntime().availableProcessors());
    return new TransportResources(node.id().toString(), ioThreads);
  }

  @Bean
  @ConditionalOnMissingBean
  ModuleRegistry frpcModuleRegistry(ConfigurableListableBeanFactory beanFactory, PayloadCodec codec,
      TransportResources resources, FrpcProperties properties) {
    return FrpcHandlerRegistrar.register(beanFactory, codec, resources.workers(),
        properties.getServer().getMailboxCapacity());
  }

  @Bean
  @ConditionalOnMissingBean
  RequestDispatcher frpcRequestDispatcher(ModuleRegistry registry, PayloadCodec codec, FrpcProperties properties) {
    return new RequestDispatcher(registry, codec, properties.getServer().isIncludeStacktrace());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "frpc.server.enabled", matchIfMissing = true)
  FrpcServer frpcServer(LocalNode node, FrpcProperties properties, TransportSettings transport,
      TransportResources resources, PayloadCodec codec, RequestDispatcher dispatcher) {
    FrpcProperties.Server server = properties.getServer();
    return new FrpcServer(node.id(), node.bootId(), new ServerSettings(server.getHost(), server.getPort()), transport,
        resources, codec, dispatcher);
  }

  @Bean
  @ConditionalOnMissingBean
  ClientConnector frpcClientConnector(LocalNode node, FrpcProperties properties, TransportSettings transport,
      TransportResources resources, PayloadCodec codec) {
    return new ClientConnector(node.id(), node.bootId(), transport, resources, codec,
        properties.getClient().getConnectTimeout());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  FrpcClient frpcClient(FrpcProperties properties, ClientConnector connector, TransportResources resources,
      ApplicationEventPublisher publisher) {
    FrpcProperties.Client client = properties.getClient();
    FrpcClient frpcClient = new FrpcClient(new ClientSettings(client.getConnectWait(), client.getCallTimeout(),
        client.getConnectTimeout(), client.getReconnectInitialBackoff(), client.getReconnectMaxBackoff()),
        connector, resources);
    frpcClient.addListener(new ApplicationEventNodeListener(publisher, frpcClient));
    return frpcClient;
  }

  @Bean
  @ConditionalOnMissingBean
  CallExecutor frpcCallExecutor(FrpcClient client, PayloadCodec codec) {
    return new CallExecutor(client, codec);
  }

  @Bean
  @ConditionalOnMissingBean
  FrpcTemplate frpcTemplate(FrpcClient client, CallExecutor executor) {
    return new FrpcTemplate(client, executor);
  }

  @Bean
  @ConditionalOnMissingBean(NodeDiscovery.class)
  @ConditionalOnProperty(name = "frpc.discovery.type", havingValue = "static", matchIfMissing = true)
  StaticNodeDiscovery frpcStaticNodeDiscovery(FrpcProperties properties) {
    Map<NodeId, HostPort> nodes = new LinkedHashMap<>();
    properties.getDiscovery().getStatic().getNodes().forEach((name, byId) -> byId.forEach((id, address) ->
        nodes.put(new NodeId(name, id), HostPort.parse(address,
            "frpc.discovery.static.nodes." + name + "." + id))));
    return new StaticNodeDiscovery(nodes);
  }

  @Bean
  @ConditionalOnMissingBean
  FrpcLifecycle frpcLifecycle(ObjectProvider<FrpcServer> server, FrpcClient client,
      ObjectProvider<NodeDiscovery> discovery, ObjectProvider<NodeListener> listeners, FrpcProperties properties) {
    NodeDiscovery nodeDiscovery = discovery.getIfAvailable();
    if (nodeDiscovery == null && properties.getDiscovery().getType() == FrpcProperties.DiscoveryType.REDIS) {
      throw new IllegalStateException("frpc.discovery.type=redis needs Spring Data Redis on the classpath: add "
          + "org.springframework.boot:spring-boot-starter-data-redis and configure spring.data.redis.*");
    }
    return new FrpcLifecycle(server.getIfAvailable(), client, nodeDiscovery, listeners,
        properties.getServer().getShutdownTimeout());
  }

  private static int toIntBytes(long bytes, String property) {
    if (bytes > Integer.MAX_VALUE - 1024) {
      throw new IllegalStateException(property + " must be below 2 GB but was " + bytes + " bytes");
    }
    return (int) bytes;
  }
}
