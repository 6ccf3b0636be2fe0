package io.frpc.spring.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks {@code frpc.security.*} (the shared secret, the accepted and per-name secrets) in Actuator's
 * {@code env} and {@code configprops} endpoints, also where {@code management.endpoint.*.show-values=always}
 * shows every other value: whoever reads a secret can join the cluster.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class FrpcSanitizingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "frpcSecretsSanitizingFunction")
  SanitizingFunction frpcSecretsSanitizingFunction() {
    return data -> isSecurityProperty(data) ? data.withSanitizedValue() : data;
  }

  /**
   * Whether {@code data} is one of {@code frpc.security.*}: as the configprops endpoint and property files name it,
   * or as an environment variable ({@code FRPC_SECURITY_SECRET}).
   */
  private static boolean isSecurityProperty(SanitizableData data) {
    String key = data.getLowerCaseKey();
    return key.startsWith("frpc.security.") || key.startsWith("frpc_security_") || key.equals("frpc.security");
  }
}
