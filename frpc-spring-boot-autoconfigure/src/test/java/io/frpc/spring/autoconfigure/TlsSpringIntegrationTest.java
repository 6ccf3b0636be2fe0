package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** TLS from Spring Boot SSL bundles: frpc.server.ssl.* and frpc.client.ssl.* name the bundles. */
class TlsSpringIntegrationTest {

  @TempDir
  static Path folder;
  private static TestCertificates certificates;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = TestCertificates.create(folder);
  }

  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, FrpcAutoConfiguration.class))
        .withPropertyValues(
            "spring.ssl.bundle.jks.frpc.keystore.location=file:" + certificates.path("node.p12"),
            "spring.ssl.bundle.jks.frpc.keystore.password=" + TestCertificates.PASSWORD,
            "spring.ssl.bundle.jks.frpc.keystore.type=PKCS12",
            "spring.ssl.bundle.jks.frpc.truststore.location=file:" + certificates.path("trust.p12"),
            "spring.ssl.bundle.jks.frpc.truststore.password=" + TestCertificates.PASSWORD,
            "spring.ssl.bundle.jks.frpc.truststore.type=PKCS12",
            "spring.ssl.bundle.jks.keys-only.keystore.location=file:" + certificates.path("node.p12"),
            "spring.ssl.bundle.jks.keys-only.keystore.password=" + TestCertificates.PASSWORD,
            "spring.ssl.bundle.jks.keys-only.keystore.type=PKCS12");
  }

  @Test
  void nodesCallEachOtherOverMutualTlsConfiguredFromBundles() {
    runner().withUserConfiguration(GreeterNode.class).withPropertyValues("frpc.node.name=game", "frpc.server.port=0",
        "frpc.server.host=127.0.0.1", "frpc.server.ssl.bundle=frpc", "frpc.server.ssl.client-auth=need")
        .run(server -> {
          assertThat(server).hasNotFailed();
          assertThat(server.getBean(FrpcNode.class).servesTls()).isTrue();
          int port = server.getBean(FrpcNode.class).listenAddress().getPort();
          runner().withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false",
              "frpc.client.ssl.bundle=frpc", "frpc.discovery.static.nodes.game.1=127.0.0.1:" + port)
              .run(client -> {
                FrpcTemplate frpc = client.getBean(FrpcTemplate.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> frpc.isActive("game", 1));
                assertThat(frpc.module("game", "greeter").call("greet", String.class, "tls")).isEqualTo("hello tls");
              });
        });
  }

  @Test
  void aServerBundleWithoutATrustStoreThatAsksForClientCertificatesFailsStartUpNamingThePropertyAndTheFix() {
    runner().withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1",
        "frpc.server.ssl.bundle=keys-only", "frpc.server.ssl.client-auth=need").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
              .hasMessageContaining("SSL bundle 'keys-only' (frpc.server.ssl.bundle) has no trust store")
              .hasMessageContaining("spring.ssl.bundle.jks.keys-only.truststore")
              .hasMessageContaining("frpc.server.ssl.trust-public-cas=true");
          assertThat(new FrpcFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
              .contains("Property: frpc.server.ssl.bundle");
        });
  }

  @Test
  void aClientBundleWithoutATrustStoreFailsStartUpNamingThePropertyAndTheFix() {
    runner().withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false",
        "frpc.client.ssl.bundle=keys-only").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(FrpcConfigurationException.class)
              .hasMessageContaining("SSL bundle 'keys-only' (frpc.client.ssl.bundle) has no trust store")
              .hasMessageContaining("frpc.client.ssl.trust-public-cas=true");
        });
  }

  @Test
  void bundlesWithoutATrustStoreStartWhenTheJdksPublicCasAreTrustedExplicitly() {
    runner().withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1",
        "frpc.server.ssl.bundle=keys-only", "frpc.server.ssl.client-auth=want", "frpc.server.ssl.trust-public-cas=true",
        "frpc.client.ssl.bundle=keys-only", "frpc.client.ssl.trust-public-cas=true").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(FrpcNode.class).servesTls()).isTrue();
        });
  }

  @Test
  void aServerBundleWithoutATrustStoreServesWhenItAsksForNoClientCertificate() {
    runner().withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1",
        "frpc.server.ssl.bundle=keys-only").run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void anUnknownBundleFailsStartUpNamingTheProperty() {
    runner().withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.ssl.bundle=missing")
        .run(context -> {
          assertThat(context.getStartupFailure()).hasStackTraceContaining("no SSL bundle named 'missing'");
          assertThat(new FrpcFailureAnalyzer().analyze(context.getStartupFailure()).getDescription())
              .contains("Property: frpc.server.ssl.bundle");
        });
  }
}
