package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import java.util.Set;
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
@ConditionalOnBean(FrpcNode.class)
@ConditionalOnEnabledHealthIndicator("frpc")
public final class FrpcHealthContributorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "frpcHealthIndicator")
  HealthIndicator frpcHealthIndicator(FrpcNode node, FrpcProperties properties) {
    return new FrpcHealthIndicator(node, Set.copyOf(properties.getHealth().getRequiredNodes()));
  }
}
