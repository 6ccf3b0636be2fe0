package io.frpc.test.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.discovery.NodeDiscovery;
import io.frpc.spring.autoconfigure.FrpcAutoConfiguration;
import io.frpc.spring.autoconfigure.FrpcProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the application's node in a test ({@link AutoConfigureFrpc}): its discovery knows the node
 * itself and the stubs of {@link FrpcStubs}. A {@link NodeDiscovery} bean of the test's own replaces both.
 */
@AutoConfiguration(before = FrpcAutoConfiguration.class)
public final class FrpcTestAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(NodeDiscovery.class)
  StubDiscovery frpcStubDiscovery() {
    return new StubDiscovery();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(StubDiscovery.class)
  FrpcStubs frpcStubs(StubDiscovery discovery, FrpcNode node, FrpcProperties properties) {
    String secret = properties.getSecurity().getSecret();
    return new FrpcStubs(discovery, node, stub -> stub.secret(secret));
  }
}
