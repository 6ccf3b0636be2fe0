package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint.ConfigurationPropertiesBeanDescriptor;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code frpc.security.*} never shows in Actuator's {@code env} and {@code configprops} endpoints, even where
 * {@code show-values=always} shows every other value: whoever reads a secret can join the cluster.
 */
class FrpcSecretsMaskingTest {

  private static final String SECRET = "the-shared-secret-of-this-cluster";
  private static final String OLD_SECRET = "the-previous-secret-of-this-cluster";
  private static final String CHAT_SECRET = "the-secret-of-the-chat-cluster";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(EnvironmentEndpointAutoConfiguration.class,
          ConfigurationPropertiesReportEndpointAutoConfiguration.class))
      .withConfiguration(AutoConfigurations.of(frpcAutoConfigurations()))
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1",
          "frpc.security.secret=" + SECRET, "frpc.security.accepted-secrets=" + OLD_SECRET,
          "frpc.security.node-secrets.chat=" + CHAT_SECRET,
          "management.endpoints.web.exposure.include=env,configprops",
          "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always");

  /** The auto-configurations the starter registers, as an application gets them. */
  private static Class<?>[] frpcAutoConfigurations() {
    return ImportCandidates.load(AutoConfiguration.class, FrpcSecretsMaskingTest.class.getClassLoader()).getCandidates()
        .stream().filter(name -> name.startsWith("io.frpc.")).map(name -> {
          try {
            return Class.forName(name);
          } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
          }
        }).toArray(Class<?>[]::new);
  }

  @Test
  void theEnvEndpointMasksEveryFrpcSecurityPropertyAndShowsTheOthers() {
    runner.run(context -> {
      EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);

      assertThat(env.environmentEntry("frpc.node.name").getProperty().getValue()).isEqualTo("game");
      assertThat(env.environmentEntry("frpc.security.secret").getProperty().getValue()).isEqualTo("******");
      assertThat(env.environmentEntry("frpc.security.accepted-secrets").getProperty().getValue())
          .isEqualTo("******");
      assertThat(env.environmentEntry("frpc.security.node-secrets.chat").getProperty().getValue())
          .isEqualTo("******");
    });
  }

  @Test
  void theConfigpropsEndpointMasksEveryFrpcSecurityPropertyAndShowsTheOthers() {
    runner.run(context -> {
      ConfigurationPropertiesBeanDescriptor frpc = context.getBean(ConfigurationPropertiesReportEndpoint.class)
          .configurationPropertiesWithPrefix("frpc").getContexts().values().iterator().next().getBeans().values()
          .iterator().next();

      assertThat(frpc.getProperties()).extractingByKey("node").asString().contains("name=game");
      assertThat(frpc.getProperties().get("security")).asInstanceOf(InstanceOfAssertFactories.MAP)
          .containsEntry("secret", "******");
      assertThat(String.valueOf(frpc.getProperties()) + frpc.getInputs())
          .doesNotContain(SECRET, OLD_SECRET, CHAT_SECRET);
    });
  }

  @Test
  void anApplicationSanitizingFunctionOfTheSameNameReplacesFrpcs() {
    runner.withBean("frpcSecretsSanitizingFunction", SanitizingFunction.class, () -> data -> data)
        .run(context -> assertThat(context.getBean(EnvironmentEndpoint.class)
            .environmentEntry("frpc.security.secret").getProperty().getValue()).isEqualTo(SECRET));
  }
}
