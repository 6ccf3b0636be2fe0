package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.skynet.client.SkynetNodeListener;
import io.frpc.skynet.client.SkynetNodes;
import io.frpc.skynet.client.SkynetRemoteNode;
import io.frpc.skynet.client.SkynetTemplate;
import io.frpc.skynet.server.SkynetServer;
import java.util.List;
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

/**
 * skynet_fly interop ({@code frpc-skynet} on the class path): with {@code frpc.skynet.server.enabled=true}, a
 * {@link SkynetServer} serving this node's {@code @FrpcHandler} modules and channels to skynet_fly nodes; with
 * {@code frpc.skynet.client.enabled=true}, {@link SkynetNodes} connected to the skynet_fly nodes of
 * {@code frpc.skynet.client.nodes} and their {@link SkynetTemplate}. Both start after the node and stop before it.
 */
@AutoConfiguration(after = FrpcAutoConfiguration.class)
@ConditionalOnClass(SkynetServer.class)
@EnableConfigurationProperties(FrpcSkynetProperties.class)
public final class FrpcSkynetAutoConfiguration {

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
    return new PhasedLifecycle(server::start, server::close);
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
    return new PhasedLifecycle(nodes::start, nodes::close);
  }

  /**
   * Starts once the node runs (a later phase than the node's) and stops before the node drains: the skynet_fly
   * listener and the connections to skynet_fly nodes.
   */
  private static final class PhasedLifecycle implements SmartLifecycle {
    private final Runnable start;
    private final Runnable stop;
    private volatile boolean running;

    PhasedLifecycle(Runnable start, Runnable stop) {
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
      return SmartLifecycle.DEFAULT_PHASE - 512;
    }
  }
}
