package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.skynet.client.SkynetNodeListener;
import io.frpc.skynet.client.SkynetNodes;
import io.frpc.skynet.client.SkynetRemoteNode;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import io.frpc.skynet.client.SkynetTemplate;
import io.frpc.skynet.internal.discovery.SkynetNodeRegistrar;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.skynet.server.SkynetServer;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * skynet_fly interop ({@code frpc-skynet} on the class path): with {@code frpc.skynet.server.enabled=true}, a
 * {@link SkynetServer} serving this node's {@code @FrpcHandler} modules and channels to skynet_fly nodes; with
 * {@code frpc.skynet.client.enabled=true}, {@link SkynetNodes} connected to the skynet_fly nodes of
 * {@code frpc.skynet.client.nodes} and their {@link SkynetTemplate}. Both start after the node and stop before it.
 */
@AutoConfiguration(after = FrpcAutoConfiguration.class,
    afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(SkynetServer.class)
@EnableConfigurationProperties(FrpcSkynetProperties.class)
public final class FrpcSkynetAutoConfiguration {

  /** After the node's own phase: started once the node runs, stopped before it drains. */
  private static final int SKYNET_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "frpc.skynet.server.enabled", havingValue = "true")
  SkynetServer frpcSkynetServer(FrpcNode node, FrpcSkynetProperties properties) {
    FrpcSkynetProperties.Server server = properties.getServer();
    SkynetServer.Builder builder = SkynetServer.builder(node).listen(server.getHost(), server.getPort())
        .security(server.getSecretKey(), server.isEncrypt())
        .handshakeTimeout(server.getHandshakeTimeout())
        .maxConnections(server.getMaxConnections())
        .maxMessageSize(server.getMaxMessageSize());
    if (server.getSvrName() != null || server.getSvrId() != null) {
      builder.identity(server.getSvrName() != null ? server.getSvrName() : node.id().name(),
          server.getSvrId() != null ? server.getSvrId() : node.id().id());
    }
    PropertyMapper.get().from(server::getAliases).to(aliases -> aliases.forEach(builder::alias));
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "frpcSkynetServerLifecycle")
  @ConditionalOnProperty(name = "frpc.skynet.server.enabled", havingValue = "true")
  SmartLifecycle frpcSkynetServerLifecycle(SkynetServer server) {
    return new PhasedLifecycle(SKYNET_PHASE, server::start, server::close);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(name = "frpc.skynet.client.enabled", havingValue = "true")
  SkynetNodes frpcSkynetNodes(FrpcNode node, FrpcSkynetProperties properties,
      ObjectProvider<SkynetNodeListener> listeners) {
    FrpcSkynetProperties.Client client = properties.getClient();
    SkynetNodes.Builder builder = SkynetNodes.builder(
        client.getSvrName() != null ? client.getSvrName() : node.id().name(),
        client.getSvrId() != null ? client.getSvrId() : node.id().id())
        .connectWait(client.getConnectWait())
        .reconnectDelay(client.getReconnectDelay())
        .handshakeTimeout(client.getHandshakeTimeout())
        .maxPendingCalls(client.getMaxPendingCalls())
        .maxMessageSize(client.getMaxMessageSize());
    client.getNodes().forEach((svrName, entries) -> entries.forEach(entry -> {
      SkynetRemoteNode remote = SkynetRemoteNode.of(svrName, entry.getId(), entry.getHost());
      if (entry.getSecretKey() != null) {
        remote = remote.withSecretKey(entry.getSecretKey());
      }
      builder.node(entry.isEncrypt() ? remote.withEncryption() : remote);
    }));
    List<SkynetNodeListener> all = listeners.orderedStream().toList();
    if (!all.isEmpty()) {
      builder.listener(new SkynetNodeListener() {
        @Override
        public void nodeUp(NodeId skynetNode) {
          all.forEach(listener -> listener.nodeUp(skynetNode));
        }

        @Override
        public void nodeDown(NodeId skynetNode) {
          all.forEach(listener -> listener.nodeDown(skynetNode));
        }
      });
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(SkynetNodes.class)
  SkynetTemplate frpcSkynetTemplate(SkynetNodes nodes) {
    return nodes.template();
  }

  @Bean
  @ConditionalOnMissingBean(name = "frpcSkynetNodesLifecycle")
  @ConditionalOnBean(SkynetNodes.class)
  SmartLifecycle frpcSkynetNodesLifecycle(SkynetNodes nodes) {
    return new PhasedLifecycle(SKYNET_PHASE, nodes::start, nodes::close);
  }

  /**
   * skynet_fly's Redis registry ({@code frpc.skynet.server.register=redis}): once the listener runs, it is registered
   * the way a skynet_fly frpc_server registers, for skynet_fly nodes that find servers through Redis; the registration
   * stops before the listener does.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(StringRedisTemplate.class)
  @ConditionalOnProperty(name = "frpc.skynet.server.enabled", havingValue = "true")
  static class SkynetRedisRegistration {

    @Bean
    @ConditionalOnMissingBean(name = "frpcSkynetRedisRegistration")
    @ConditionalOnProperty(name = "frpc.skynet.server.register", havingValue = "redis")
    SmartLifecycle frpcSkynetRedisRegistration(SkynetServer server, FrpcNode node, FrpcSkynetProperties properties,
        RedisConnectionFactory connections) {
      FrpcSkynetProperties.Server settings = properties.getServer();
      String svrName = settings.getSvrName() != null ? settings.getSvrName() : node.id().name();
      int svrId = settings.getSvrId() != null ? settings.getSvrId() : node.id().id();
      String host = settings.getAdvertisedHost() != null ? settings.getAdvertisedHost()
          : RedisNodeDiscovery.advertisedHost(settings.getHost());
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "frpc-skynet-registry");
        thread.setDaemon(true);
        return thread;
      });
      AtomicReference<SkynetNodeRegistrar> registrar = new AtomicReference<>();
      return new PhasedLifecycle(SmartLifecycle.DEFAULT_PHASE - 256, () -> {
        SkynetNodeRegistrar started = new SkynetNodeRegistrar(new StringRedisTemplate(connections), svrName, svrId,
            host + ":" + server.address().getPort(), new SkynetSecurity(settings.getSecretKey(), settings.isEncrypt()),
            scheduler);
        started.start();
        registrar.set(started);
      }, () -> {
        SkynetNodeRegistrar running = registrar.getAndSet(null);
        if (running != null) {
          running.close();
        }
        scheduler.shutdownNow();
      });
    }
  }

  /**
   * Starts once the node runs (a later phase than the node's) and stops before the node drains: the skynet_fly
   * listener and the connections to skynet_fly nodes.
   */
  private static final class PhasedLifecycle implements SmartLifecycle {
    private final int phase;
    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    PhasedLifecycle(int phase, Runnable start, Runnable stop) {
      this.phase = phase;
      this.start = start;
      this.stop = stop;
    }

    @Override
    public void start() {
      start.run();
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      stop.run();
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return phase;
    }
  }
}
