package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code frpc} Actuator endpoint, when Actuator is on the classpath and the endpoint is available. */
@AutoConfiguration(after = FrpcAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(FrpcNode.class)
@ConditionalOnAvailableEndpoint(FrpcEndpoint.class)
public final class FrpcEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FrpcEndpoint frpcEndpoint(FrpcNode node) {
    return new FrpcEndpoint(node);
  }
}
