package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import io.frpc.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS between nodes: encrypted traffic, verified certificates and host names, mutual TLS, clear mismatch errors. */
class TlsTest {

  @TempDir
  static Path folder;
  private static TestCertificates certificates;

  /** Handler of module "svc". */
  public static final class Service {
    public String echo(String text) {
      return text;
    }
  }

  private final List<AutoCloseable> open = new ArrayList<>();
  private CapturedLogs logs;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = TestCertificates.create(folder);
  }

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.of("io.frpc");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    logs.close();
  }

  private TestNode server(Consumer<FrpcNode.Builder> tls) {
    TestNode node = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service()).configure(tls).start();
    open.add(node);
    return node;
  }

  private TestNode caller(Consumer<FrpcNode.Builder> tls, int port) {
    TestNode node = TestNode.builder("caller", 1).configure(tls.andThen(b -> b.connectWait(Duration.ofSeconds(1))))
        .start();
    open.add(node);
    node.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", port);
    return node;
  }

  private static String echo(TestNode caller, String text) {
    return caller.frpc.module("game", "svc").call("echo", String.class, text);
  }

  private static Consumer<FrpcNode.Builder> serving(TlsClientAuth clientAuth) {
    return node -> {
      try {
        node.serverTls(certificates.node(), clientAuth);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static Consumer<FrpcNode.Builder> calling(TlsSettings settings, boolean verifyHostname) {
    return node -> node.clientTls(settings, verifyHostname);
  }

  @Test
  void tlsConnectsAndNoPayloadCrossesTheWireInTheClear() throws Exception {
    TestNode server = server(serving(TlsClientAuth.NONE));
    Relay relay = new Relay(server.port());
    open.add(relay);
    TestNode caller = caller(calling(TlsSettings.of(null, certificates.trust("trust.p12")), true), relay.port());

    String payload = "a-payload-string-to-look-for";
    assertThat(echo(caller, payload)).isEqualTo(payload);
    byte[] needle = payload.getBytes(StandardCharsets.UTF_8);
    assertThat(Relay.contains(relay.sentToNode(), needle)).as("request in the clear").isFalse();
    assertThat(Relay.contains(relay.sentByNode(), needle)).as("reply in the clear").isFalse();
    assertThat(Relay.contains(relay.sentToNode(), "echo".getBytes(StandardCharsets.UTF_8))).as("command in the clear")
        .isFalse();
  }

  @Test
  void mutualTlsConnectsWithATrustedClientCertificate() throws Exception {
    TestNode server = server(serving(TlsClientAuth.NEED));
    TestNode caller = caller(calling(certificates.node(), true), server.port());

    assertThat(echo(caller, "hi")).isEqualTo("hi");
  }

  @Test
  void aClientWithoutACertificateIsRefusedWhenOneIsNeeded() throws Exception {
    TestNode server = server(serving(TlsClientAuth.NEED));
    TestNode caller = caller(calling(TlsSettings.of(null, certificates.trust("trust.p12")), true), server.port());

    assertThatThrownBy(() -> echo(caller, "hi")).isInstanceOf(NoNodeConnectedException.class);
    assertThat(logs.messages(Level.WARN)).anySatisfy(message -> assertThat(message)
        .contains("Refusing connection", "TLS handshake"));
  }

  @Test
  void aCertificateThatDoesNotNameTheHostIsRefusedUnlessHostNamesAreNotVerified() throws Exception {
    TestNode server = server(node -> {
      try {
        node.serverTls(TlsSettings.of(certificates.keys("stranger"), certificates.trust("trust-all.p12")),
            TlsClientAuth.NONE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    TlsSettings trustingBoth = TlsSettings.of(null, certificates.trust("trust-all.p12"));
    TestNode verifying = caller(calling(trustingBoth, true), server.port());
    assertThatThrownBy(() -> echo(verifying, "hi")).isInstanceOf(NoNodeConnectedException.class)
        .hasMessageContaining("TLS handshake with 127.0.0.1:" + server.port() + " failed");
    verifying.close();

    TestNode trusting = caller(calling(trustingBoth, false), server.port());
    assertThat(echo(trusting, "hi")).isEqualTo("hi");
  }

  @Test
  void aTlsCallerMeetingAPlainListenerIsToldSo() throws Exception {
    TestNode server = server(node -> { });
    TestNode caller = caller(calling(TlsSettings.of(null, certificates.trust("trust.p12")), true), server.port());

    assertThatThrownBy(() -> echo(caller, "hi")).isInstanceOf(NoNodeConnectedException.class)
        .hasMessageContaining("does not speak TLS");
  }

  @Test
  void aPlainCallerMeetingATlsListenerIsToldSo() {
    TestNode server = server(serving(TlsClientAuth.NONE));
    TestNode caller = caller(node -> { }, server.port());

    assertThatThrownBy(() -> echo(caller, "hi")).isInstanceOf(NoNodeConnectedException.class)
        .hasMessageContaining("if the node's listener uses TLS, set frpc.client.ssl.bundle");
    assertThat(logs.messages(Level.WARN)).anySatisfy(message -> assertThat(message)
        .contains("does not speak TLS"));
  }
}
