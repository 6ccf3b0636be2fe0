package io.frpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.TlsClientAuth;
import io.frpc.TlsSettings;
import io.frpc.Transport;
import io.frpc.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The shared secret and TLS work over the in-JVM transport as over TCP. */
class InJvmSecurityTest {

  private static final String SECRET = "a-secret-of-the-test-cluster";

  @TempDir
  static Path folder;

  static TestCertificates certificates;

  @RegisterExtension
  final FrpcCluster cluster = FrpcCluster.create();

  @BeforeAll
  static void createCertificates() throws Exception {
    certificates = TestCertificates.create(folder);
  }

  public static final class Echo {
    public String echo(String text) {
      return text;
    }
  }

  @Test
  void nodesSharingTheSecretCallEachOtherOverProtectedFrames() {
    ClusterNode game = cluster.node("game", 1).handler("echo", new Echo()).configure(node -> node.secret(SECRET))
        .start();
    ClusterNode lobby = cluster.node("lobby", 1).configure(node -> node.secret(SECRET)).start();

    assertThat(lobby.template().module("game", "echo").call("echo", String.class, "sealed")).isEqualTo("sealed");
    assertThat(game.node().exposedWithoutSecret()).isFalse();
  }

  @Test
  void aNodeWithAnotherSecretIsRefusedAsUnauthenticated() {
    cluster.node("game", 1).handler("echo", new Echo()).configure(node -> node.secret(SECRET)).start();
    ClusterNode intruder = FrpcCluster.create().node("intruder", 1)
        .configure(node -> node.secret("another-secret-entirely").serve(false)).start();
    try {
      reportGameTo(intruder);

      await().atMost(Duration.ofSeconds(5)).until(() -> intruder.node().status().nodes().stream()
          .anyMatch(node -> node.lastFailure() != null && node.lastFailure().contains("shared secret")));
      assertThat(intruder.template().isActive("game", 1)).isFalse();
    } finally {
      intruder.stop();
    }
  }

  @Test
  void tlsRunsOverTheInJvmTransportWithHostnameVerificationOff() throws Exception {
    TlsSettings tls = certificates.node();
    ClusterNode game = cluster.node("game", 1).handler("echo", new Echo())
        .configure(node -> node.serverTls(tls, TlsClientAuth.NONE)).start();
    ClusterNode lobby = cluster.node("lobby", 1).configure(node -> node.serve(false).clientTls(tls, false)).start();

    assertThat(lobby.template().module("game", "echo").call("echo", String.class, "encrypted")).isEqualTo("encrypted");
    assertThat(game.node().servesTls()).isTrue();
  }

  @Test
  void hostnameVerificationChecksTheInJvmHost() throws Exception {
    TlsSettings tls = certificates.node(); // names 127.0.0.1 and localhost, not in-jvm
    cluster.node("game", 1).handler("echo", new Echo()).configure(node -> node.serverTls(tls, TlsClientAuth.NONE))
        .start();
    ClusterNode lobby = FrpcCluster.create().node("lobby", 1).configure(node -> node.serve(false).clientTls(tls, true))
        .start();
    try {
      reportGameTo(lobby);

      await().atMost(Duration.ofSeconds(5)).until(() -> lobby.node().status().nodes().stream()
          .anyMatch(node -> node.lastFailure() != null && node.lastFailure().contains("in-jvm")));
      assertThat(lobby.template().isActive("game", 1)).isFalse();
    } finally {
      lobby.stop();
    }
  }

  /** Tells {@code caller}, of another cluster, where game:1 listens, as discovery would. */
  private void reportGameTo(ClusterNode caller) {
    caller.discovery().context().nodeAvailable(cluster.get("game", 1).id(), Transport.IN_JVM_HOST, 0);
  }
}
