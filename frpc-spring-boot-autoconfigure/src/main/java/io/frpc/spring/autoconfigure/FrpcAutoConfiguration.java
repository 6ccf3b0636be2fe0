package io.frpc.spring.autoconfigure;

import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.FrpcResources;
import io.frpc.FrpcTemplate;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.TlsClientAuth;
import io.frpc.TlsSettings;
import io.frpc.Transport;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.internal.Names;
import io.frpc.observability.FrpcObserver;
import io.frpc.observability.FrpcTracer;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.spring.FrpcNodeCustomizer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configuration of an frpc node from {@code frpc.*} properties: the {@link FrpcNode} serving the
 * {@link io.frpc.spring.FrpcHandler} beans, its {@link FrpcTemplate}, node events, and static discovery.
 * The beans a user may replace are the node itself, the template and the {@link NodeDiscovery}; finer
 * adjustments go through {@link FrpcNodeCustomizer} beans. A {@link FrpcResources} bean, when the application
 * defines one, is what the node runs on (the application owns it); otherwise the node has threads of its own.
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
      ObjectProvider<FrpcNodeCustomizer> customizers, ObjectProvider<SslBundles> sslBundles,
      ObjectProvider<FrpcObserver> observer, ObjectProvider<FrpcTracer> tracer, ObjectProvider<FrpcResources> resources,
      ApplicationEventPublisher publisher) {
    NodeDiscovery nodeDiscovery = discovery.getIfAvailable();
    if (nodeDiscovery == null && properties.getDiscovery().getType() == FrpcProperties.DiscoveryType.REDIS) {
      throw new FrpcConfigurationException("frpc.discovery.type", "frpc.discovery.type=redis needs Spring Data Redis"
          + " on the classpath", "add org.springframework.boot:spring-boot-starter-data-redis and configure "
          + "spring.data.redis.*, or set frpc.discovery.type=static");
    }
    FrpcProperties.Server server = properties.getServer();
    FrpcProperties.Client client = properties.getClient();
    FrpcProperties.PubSub pubsub = properties.getPubsub();
    FrpcProperties.Security security = properties.getSecurity();
    FrpcNode.Builder builder = FrpcNode.builder(properties.getNode().getName(), properties.getNode().getId());
    // properties left unset hold the builder's own defaults (FrpcNode.DEFAULT_*) or null, which is not mapped
    PropertyMapper map = PropertyMapper.get();
    map.from(server::isEnabled).to(builder::serve);
    map.from(server::getTransport).to(builder::transport);
    map.from(server::getMailboxCapacity).to(builder::mailboxCapacity);
    map.from(server::isIncludeStacktrace).to(builder::includeStackTrace);
    map.from(server::isMdc).to(builder::mdc);
    map.from(server::getShutdownTimeout).to(builder::shutdownTimeout);
    map.from(handshakeTimeout(properties)).to(builder::handshakeTimeout);
    map.from(server::getMaxConnections).to(builder::maxConnections);
    map.from(server::getMaxHandshaking).to(builder::maxHandshaking);
    map.from(server::getMaxHandshakingPerNetwork).to(builder::maxHandshakingPerNetwork);
    map.from(server::getMaxHandshakingPerAddress).to(builder::maxHandshakingPerAddress);
    map.from(server::getHandshakeRatePerAddress).to(builder::handshakeRatePerAddress);
    map.from(properties::getMaxMessageSize).as(size -> toIntBytes(size.toBytes(), "frpc.max-message-size"))
        .to(builder::maxMessageSize);
    map.from(properties::getMaxMessageTokens).to(builder::maxMessageTokens);
    map.from(properties::getFragmentSize).as(size -> toIntBytes(size.toBytes(), "frpc.fragment-size"))
        .to(builder::fragmentSize);
    map.from(properties::getSocketBufferSize).as(size -> toIntBytes(size.toBytes(), "frpc.socket-buffer-size"))
        .to(builder::socketBufferSize);
    map.from(properties::getFragmentWindow).as(size -> toIntBytes(size.toBytes(), "frpc.fragment-window"))
        .to(builder::fragmentWindow);
    builder.heartbeat(properties.getHeartbeatInterval(), properties.getHeartbeatTimeout());
    map.from(client::getConnectWait).to(builder::connectWait);
    map.from(client::getCallTimeout).to(builder::callTimeout);
    map.from(client::getConnectTimeout).to(builder::connectTimeout);
    builder.reconnectBackoff(client.getReconnectInitialBackoff(), client.getReconnectMaxBackoff());
    map.from(client::isDirectCompletion).to(builder::directCompletion);
    FrpcProperties.Retry retry = client.getRetry();
    map.from(retry::getMaxAttempts).to(builder::retryMaxAttempts);
    map.from(retry::getBackoff).to(builder::retryBackoff);
    builder.retryBudget(retry.getBudgetRatio(), retry.getBudgetMinPerSecond());
    map.from(client::getLoadBalancing).to(builder::loadBalancing);
    map.from(properties::getIoThreads).to(builder::ioThreads);
    map.from(properties::getMaxInboundBytes).as(DataSize::toBytes).to(builder::maxInboundBytes);
    map.from(properties::getMaxQueuedOutboundBytes).as(DataSize::toBytes).to(builder::maxQueuedOutboundBytes);
    map.from(properties::getUnwritableTimeout).to(builder::unwritableTimeout);
    map.from(pubsub::getMaxSubscriptionsPerConnection).to(builder::maxSubscriptionsPerConnection);
    map.from(pubsub::getSubscriberBacklog).to(builder::subscriberBacklog);
    map.from(pubsub::getMaxQueuedBytes).as(DataSize::toBytes).to(builder::maxQueuedPublicationBytes);
    map.from(security::getSecret).to(builder::secret);
    map.from(security::getAcceptedSecrets).to(builder::acceptedSecrets);
    map.from(security::getNodeSecrets).to(secrets -> secrets.forEach(builder::nodeSecret));
    builder.discovery(nodeDiscovery).listener(new ApplicationEventNodeListener(publisher));
    observer.ifAvailable(builder::observer);
    tracer.ifAvailable(builder::tracer);
    // threads the application shares between nodes and owns: the node uses them and never closes them
    map.from(resources.getIfAvailable()).to(builder::resources);
    if (server.isEnabled() && server.getSsl().getBundle() != null) {
      TlsClientAuth clientAuth = server.getSsl().getClientAuth();
      // a listener that asks for no client certificate verifies nothing against the bundle's trust
      String trusted = clientAuth == TlsClientAuth.NONE ? null
          : "client certificates (frpc.server.ssl.client-auth=" + clientAuth.name().toLowerCase(Locale.ROOT) + ")";
      builder.serverTls(tls(sslBundles, "frpc.server", server.getSsl().getBundle(), trusted,
          server.getSsl().isTrustPublicCas()), clientAuth);
    }
    if (client.getSsl().getBundle() != null) {
      builder.clientTls(tls(sslBundles, "frpc.client", client.getSsl().getBundle(),
          "the certificates of called nodes", client.getSsl().isTrustPublicCas()), client.getSsl().isVerifyHostname());
    }
    if (server.isEnabled()) {
      builder.listen(server.getHost(), server.getPort())
          .advertisedHost(properties.getDiscovery().getType() == FrpcProperties.DiscoveryType.REDIS
              && properties.getDiscovery().getRedis().isRegister()
              // what Redis discovery registers, so that the status shows it
              ? FrpcRedisDiscoveryAutoConfiguration.advertisedHost(server)
              : StringUtils.hasText(server.getAdvertisedHost()) ? server.getAdvertisedHost() : null);
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

  /** Publishes on this node's channels. */
  @Bean
  @ConditionalOnMissingBean
  FrpcPublisher frpcPublisher(FrpcNode node) {
    return node.publisher();
  }

  /** Subscribes the {@link io.frpc.spring.FrpcSubscribe} methods of singleton beans once they all exist. */
  @Bean
  @ConditionalOnMissingBean
  static FrpcSubscriptionRegistrar frpcSubscriptionRegistrar(ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<FrpcTemplate> template) {
    return new FrpcSubscriptionRegistrar(beanFactory, template);
  }

  @Bean
  @ConditionalOnMissingBean(NodeDiscovery.class)
  @ConditionalOnProperty(name = "frpc.discovery.type", havingValue = "static", matchIfMissing = true)
  StaticNodeDiscovery frpcStaticNodeDiscovery(FrpcProperties properties) {
    Map<NodeId, HostPort> nodes = new LinkedHashMap<>();
    properties.getDiscovery().getStatic().getNodes().forEach((name, byId) -> byId.forEach((id, address) -> {
      String property = "frpc.discovery.static.nodes." + name + "." + id;
      Names.checkNodeName(name, "frpc.discovery.static.nodes");
      Names.checkNodeId(id, property);
      try {
        nodes.put(new NodeId(name, id), HostPort.parse(address, property));
      } catch (IllegalArgumentException e) {
        throw new FrpcConfigurationException(property, e.getMessage(), "write it as host:port, e.g. "
            + "10.0.0.11:9688, or as " + Transport.IN_JVM_HOST + " for a node on the in-JVM transport");
      }
    }));
    return new StaticNodeDiscovery(nodes);
  }

  @Bean
  @ConditionalOnMissingBean
  FrpcLifecycle frpcLifecycle(FrpcNode node, ObjectProvider<NodeListener> listeners) {
    return new FrpcLifecycle(node, listeners);
  }

  /**
   * The key material and options of the SSL bundle named by {@code side}{@code .ssl.bundle}.
   *
   * @param trusted        what the bundle's trust decides, or {@code null} when nothing is checked against it
   * @param trustPublicCas whether a bundle without a trust store may trust the JDK's public CAs
   */
  private static TlsSettings tls(ObjectProvider<SslBundles> sslBundles, String side, String name, String trusted,
      boolean trustPublicCas) {
    String property = side + ".ssl.bundle";
    SslBundles bundles = sslBundles.getIfAvailable();
    if (bundles == null) {
      throw new FrpcConfigurationException(property, property + "=" + name + " but no SSL bundles are configured",
          "define the bundle under spring.ssl.bundle (jks or pem) with that name");
    }
    SslBundle bundle;
    try {
      bundle = bundles.getBundle(name);
    } catch (NoSuchSslBundleException e) {
      throw new FrpcConfigurationException(property, "there is no SSL bundle named '" + name + "'",
          "define spring.ssl.bundle.jks." + name + " (or .pem." + name + "), or correct " + property, e);
    }
    // Without a trust store, Spring Boot's trust managers fall back to the JDK's default: ~150 public CAs, any of
    // which would vouch for a node of this cluster. That is rarely meant for node-to-node TLS, so it is asked for.
    if (trusted != null && bundle.getStores().getTrustStore() == null && !trustPublicCas) {
      throw new FrpcConfigurationException(property, "SSL bundle '" + name + "' (" + property + ") has no trust "
          + "store, so " + trusted + " would be accepted from any public certificate authority the JDK trusts",
          "add the certificate of your cluster's CA to the bundle (spring.ssl.bundle.jks." + name + ".truststore.* or "
              + "spring.ssl.bundle.pem." + name + ".truststore.certificate), or set " + side
              + ".ssl.trust-public-cas=true to trust the JDK's public CAs");
    }
    SslOptions options = bundle.getOptions();
    return new TlsSettings(bundle.getManagers().getKeyManagerFactory(), bundle.getManagers().getTrustManagerFactory(),
        options.getEnabledProtocols() == null ? Set.of() : Set.of(options.getEnabledProtocols()),
        options.getCiphers() == null ? Set.of() : Set.of(options.getCiphers()));
  }

  /**
   * {@code frpc.handshake-timeout}, or its former name {@code frpc.server.handshake-timeout} while an application
   * still sets that one.
   */
  @SuppressWarnings("removal")
  private static Duration handshakeTimeout(FrpcProperties properties) {
    Duration former = properties.getServer().getHandshakeTimeout();
    if (former == null) {
      return properties.getHandshakeTimeout();
    }
    LoggerFactory.getLogger(FrpcAutoConfiguration.class).warn("frpc.server.handshake-timeout is deprecated: it also "
        + "governs the handshakes this node opens; rename it to frpc.handshake-timeout");
    return former;
  }

  private static int toIntBytes(long bytes, String property) {
    if (bytes > Integer.MAX_VALUE - 1024) {
      throw new FrpcConfigurationException(property, property + " must be below 2 GB but was " + bytes + " bytes",
          "set a smaller size, e.g. 128MB");
    }
    return (int) bytes;
  }
}
