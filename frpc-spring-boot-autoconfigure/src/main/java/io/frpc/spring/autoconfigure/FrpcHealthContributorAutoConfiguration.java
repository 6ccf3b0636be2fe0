package io.frpc.spring.autoconfigure;

import io.frpc.discovery.NodeDiscovery;
import io.frpc.routing.FrpcClient;
import io.frpc.transport.FrpcServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code frpc} health contributor, when Spring Boot's health support is on the classpath. */
@AutoConfiguration(after = {FrpcAutoConfiguration.class, FrpcRedisDiscoveryAutoConfiguration.class})
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(FrpcClient.class)
@ConditionalOnEnabledHealthIndicator("frpc")
public final class FrpcHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "frpcHealthIndicator")
  HealthIndicator frpcHealthIndicator(ObjectProvider<FrpcServer> server, FrpcClient client,
      ObjectProvider<NodeDiscovery> discovery) {
    return new FrpcHealthIndicator(server.getIfAvailable(), client, discovery.getIfAvailable());
  }
}
