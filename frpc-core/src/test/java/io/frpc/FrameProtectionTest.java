package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import io.frpc.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a shared secret every frame after the handshake is sealed with keys of that connection alone: an
 * attacker on the path, with or without TLS, can neither read nor alter what crosses it.
 */
class FrameProtectionTest {

  private static final String SECRET = "a-long-shared-secret-of-the-cluster";

  @TempDir
  static Path folder;
  private static TestCertificates certificates;

  /** Handler of module "svc"; counts the commands it runs. */
  public static final class Service {
    static final AtomicInteger RUNS = new AtomicInteger();

    public String echo(String text) {
      RUNS.incrementAndGet();
      return text;
    }

    public byte[] reversed(byte[] data) {
      byte[] out = new byte[data.length];
      for (int i = 0; i < data.length; i++) {
        out[i] = data[data.length - 1 - i];
      }
      return out;
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
    Service.RUNS.set(0);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    logs.close();
  }

  private TestNode server(Consumer<FrpcNode.Builder> configuration) {
    TestNode node = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service())
        .configure(configuration.andThen(b -> b.secret(SECRET))).start();
    open.add(node);
    return node;
  }

  private TestNode caller(Consumer<FrpcNode.Builder> configuration, int port) {
    TestNode node = TestNode.builder("caller", 1)
        .configure(configuration.andThen(b -> b.secret(SECRET).connectWait(Duration.ofSeconds(1)))).start();
    open.add(node);
    node.client.nodeAvailable(new NodeId("game", 1), "127.0.0.1", port);
    return node;
  }

  private static void servingTls(FrpcNode.Builder node) {
    try {
      node.serverTls(certificates.node(), TlsClientAuth.NONE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String echo(TestNode caller, String text) {
    return caller.frpc.module("game", "svc").call("echo", String.class, text);
  }

  @Test
  void neitherPayloadsNorCommandNamesCrossThePlainWireInTheClear() throws Exception {
    TestNode server = server(node -> { });
    Relay relay = new Relay(server.port());
    open.add(relay);
    TestNode caller = caller(node -> { }, relay.port());

    String payload = "a-payload-string-to-look-for";
    assertThat(echo(caller, payload)).isEqualTo(payload);
    byte[] needle = payload.getBytes(StandardCharsets.UTF_8);
    assertThat(Relay.contains(relay.sentToNode(), needle)).as("request in the clear").isFalse();
    assertThat(Relay.contains(relay.sentByNode(), needle)).as("reply in the clear").isFalse();
    assertThat(Relay.contains(relay.sentToNode(), "echo".getBytes(StandardCharsets.UTF_8))).as("command in the clear")
        .isFalse();
  }

  @Test
  void largeMessagesTravelSealedFragmentByFragmentBesideSmallCalls() {
    TestNode server = server(node -> { });
    TestNode caller = caller(node -> { }, server.port());
    byte[] large = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(large);

    var reply = caller.frpc.module("game", "svc").callAsync("reversed", byte[].class, (Object) large);
    assertThat(echo(caller, "small")).isEqualTo("small");
    byte[] reversed = reply.join();

    assertThat(reversed).hasSize(large.length);
    assertThat(reversed[0]).isEqualTo(large[large.length - 1]);
    assertThat(reversed[large.length - 1]).isEqualTo(large[0]);
  }

  @Test
  void aRelayThatFlipsOneByteAfterTheHandshakeIsDetectedAndTheConnectionClosed() throws Exception {
    TestNode server = server(node -> { });
    Relay relay = new Relay(server.port());
    open.add(relay);
    TestNode caller = caller(node -> { }, relay.port());
    assertThat(echo(caller, "before")).isEqualTo("before");

    relay.flipNextByteFromNode();
    assertThatThrownBy(() -> echo(caller, "tampered")).isInstanceOf(ConnectionLostException.class);
    assertThat(logs.messages(Level.WARN)).anySatisfy(message -> assertThat(message)
        .contains("game:1", "failed authentication"));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(echo(caller, "after")).isEqualTo("after"));
  }

  @Test
  void aRelayBetweenTwoTlsLegsCannotCompleteTheHandshake() throws Exception {
    TestNode server = server(FrameProtectionTest::servingTls);
    // the relay shows callers a certificate they trust (another of the cluster's CA, or a public CA's)
    SSLContext towardsCaller = SSLContext.getInstance("TLS");
    towardsCaller.init(certificates.keys("stranger").getKeyManagers(), null, null);
    SSLContext towardsNode = SSLContext.getInstance("TLS");
    towardsNode.init(null, certificates.trust("trust.p12").getTrustManagers(), null);
    Relay relay = new Relay(server.port(), towardsCaller, towardsNode);
    open.add(relay);
    TlsSettings trustingTheRelay = TlsSettings.of(null, certificates.trust("trust-all.p12"));
    TestNode caller = caller(node -> node.clientTls(trustingTheRelay, false), relay.port());

    assertThatThrownBy(() -> echo(caller, "hi")).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("could not prove the shared secret");
    assertThat(relay.sentToNode()).as("the relay did reach the node").isNotEmpty();
    assertThat(Service.RUNS).hasValue(0);
  }

  @Test
  void tlsWithTheSecretStillConnectsWhenNothingSitsBetween() throws Exception {
    TestNode server = server(FrameProtectionTest::servingTls);
    TlsSettings trust = TlsSettings.of(null, certificates.trust("trust.p12"));
    TestNode caller = caller(node -> node.clientTls(trust, true), server.port());

    assertThat(echo(caller, "hi")).isEqualTo("hi");
  }
}
