package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.skynet.server.SkynetServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * skynet_fly interop ({@code frpc-skynet} on the class path): with {@code frpc.skynet.server.enabled=true}, a
 * {@link SkynetServer} serving this node's {@code @FrpcHandler} modules to skynet_fly callers, started after the node
 * and stopped before it.
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
    return new SkynetServerLifecycle(server);
  }

  /** Listens once the node runs (a later phase than the node's), and stops listening before the node drains. */
  private static final class SkynetServerLifecycle implements SmartLifecycle {
    private final SkynetServer server;
    private volatile boolean running;

    SkynetServerLifecycle(SkynetServer server) {
      this.server = server;
    }

    @Override
    public void start() {
      server.start();
      running = true;
    }

    @Override
    public void stop() {
      running = false;
      server.close();
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
