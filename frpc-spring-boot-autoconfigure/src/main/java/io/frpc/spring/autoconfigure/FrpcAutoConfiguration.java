package io.frpc.spring.autoconfigure;

import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.TlsClientAuth;
import io.frpc.TlsSettings;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.internal.Names;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.status.FrpcObserver;
import io.frpc.status.FrpcTracer;
import io.frpc.discovery.StaticNodeDiscovery;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import io.frpc.spring.FrpcNodeCustomizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;
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
      ObjectProvider<FrpcNodeCustomizer> customizers, ObjectProvider<SslBundles> sslBundles,
      ObjectProvider<FrpcObserver> observer, ObjectProvider<FrpcTracer> tracer, ApplicationEventPublisher publisher) {
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
        .directCompletion(client.isDirectCompletion())
        .ioThreads(properties.getIoThreads())
        .maxQueuedOutboundBytes(properties.getMaxQueuedOutboundBytes().toBytes())
        .unwritableTimeout(properties.getUnwritableTimeout())
        .maxHandshaking(server.getMaxHandshaking())
        .maxHandshakingPerNetwork(server.getMaxHandshakingPerNetwork())
        .maxHandshakingPerAddress(server.getMaxHandshakingPerAddress())
        .handshakeRatePerAddress(server.getHandshakeRatePerAddress())
        .maxSubscriptionsPerConnection(properties.getPubsub().getMaxSubscriptionsPerConnection())
        .subscriberBacklog(properties.getPubsub().getSubscriberBacklog())
        .discovery(nodeDiscovery)
        .listener(new ApplicationEventNodeListener(publisher));
    observer.ifAvailable(builder::observer);
    tracer.ifAvailable(builder::tracer);
    FrpcProperties.Security security = properties.getSecurity();
    builder.secret(security.getSecret()).acceptedSecrets(security.getAcceptedSecrets());
    security.getNodeSecrets().forEach(builder::nodeSecret);
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
    if (properties.getPubsub().getMaxQueuedBytes() != null) {
      builder.maxQueuedPublicationBytes(properties.getPubsub().getMaxQueuedBytes().toBytes());
    }
    if (server.getMaxConnections() != null) {
      builder.maxConnections(server.getMaxConnections());
    }
    if (properties.getMaxInboundBytes() != null) {
      builder.maxInboundBytes(properties.getMaxInboundBytes().toBytes());
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

  private static int toIntBytes(long bytes, String property) {
    if (bytes > Integer.MAX_VALUE - 1024) {
      throw new FrpcConfigurationException(property, property + " must be below 2 GB but was " + bytes + " bytes",
          "set a smaller size, e.g. 128MB");
    }
    return (int) bytes;
  }
}
