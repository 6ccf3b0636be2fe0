package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.testing.CapturedLogs;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node says at start-up whether its listener speaks TLS and whether a shared secret guards it, and warns
 * once when it is reachable beyond loopback with no secret: then anyone who reaches the port can call it.
 */
class ListenerExposureTest {

  private static final String SECRET = "a-shared-secret-of-32-characters";

  private CapturedLogs logs;

  @BeforeEach
  void captureLogs() {
    logs = CapturedLogs.of("io.frpc");
  }

  @AfterEach
  void stopCapturing() {
    logs.close();
  }

  private void runNode(String host, Consumer<FrpcNode.Builder> settings, Consumer<FrpcNode> check) {
    FrpcNode.Builder builder = FrpcNode.builder("game", 1).listen(host, 0).ioThreads(1);
    settings.accept(builder);
    try (FrpcNode node = builder.build()) {
      node.start();
      check.accept(node);
    }
  }

  @Test
  void theListeningLineSaysTlsIsOffAndNoSecretIsSet() {
    runNode("127.0.0.1", node -> { }, node -> assertThat(logs.messages(Level.INFO))
        .contains("frpc node game:1 listening on 127.0.0.1:" + node.listenAddress().getPort()
            + " (TLS: off, shared secret: not set)"));
  }

  @Test
  void theListeningLineSaysASecretIsSetWithoutShowingIt() {
    runNode("127.0.0.1", node -> node.secret(SECRET), node -> assertThat(logs.messages(Level.INFO))
        .anySatisfy(message -> assertThat(message).contains("listening on", "(TLS: off, shared secret: set)"))
        .noneSatisfy(message -> assertThat(message).contains(SECRET)));
  }

  @Test
  void aListenerOnAllInterfacesWithoutASecretWarnsOnceNamingTheSecretAndTheHostProperties() {
    runNode("0.0.0.0", node -> { }, node -> {
      assertThat(logs.messages(Level.WARN)).singleElement().asString()
          .contains("game:1", "beyond loopback without a shared secret", "frpc.security.secret",
              "frpc.server.host=127.0.0.1");
      assertThat(node.exposedWithoutSecret()).isTrue();
    });
  }

  @Test
  void aListenerOnAllInterfacesWithASecretDoesNotWarn() {
    runNode("0.0.0.0", node -> node.secret(SECRET), node -> {
      assertThat(logs.messages(Level.WARN)).isEmpty();
      assertThat(node.exposedWithoutSecret()).isFalse();
    });
  }

  @Test
  void aListenerOnLoopbackWithoutASecretDoesNotWarn() {
    runNode("127.0.0.1", node -> { }, node -> {
      assertThat(logs.messages(Level.WARN)).isEmpty();
      assertThat(node.exposedWithoutSecret()).isFalse();
    });
  }
}
