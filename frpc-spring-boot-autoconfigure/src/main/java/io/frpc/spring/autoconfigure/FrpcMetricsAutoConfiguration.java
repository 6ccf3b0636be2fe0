package io.frpc.spring.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.observability.FrpcObserver;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics for frpc, when Micrometer is on the classpath and a {@link MeterRegistry} exists: the
 * {@link FrpcObserver} that times calls and requests (handed to the node when it is built), and the
 * node's gauges. Without a registry no observer exists and nothing is measured.
 */
@AutoConfiguration(after = FrpcAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class FrpcMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FrpcObserver frpcMicrometerObserver(MeterRegistry registry) {
    return new MicrometerFrpcObserver(registry);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(FrpcNode.class)
  FrpcMeterBinder frpcMeterBinder(FrpcNode node) {
    return new FrpcMeterBinder(node);
  }
}
