package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.status.FrpcObserver;
import io.frpc.testing.CapturedLogs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What connections that never complete their handshake can do to a node: they hold nothing once closed, and
 * a node that lacks the secret is named as such in the accepting node's log.
 */
class PreAuthenticationLimitsTest {

  private static final String SECRET = "a-long-shared-secret-of-the-cluster";
  private static final String OTHER = "another-secret-of-another-cluster!";

  /** Handler of module "svc". */
  public static final class Service {
    public String echo(String text) {
      return text;
    }
  }

  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final FrpcObserver countRefusals = new FrpcObserver() {
    @Override
    public void connectionRefused(String reason) {
      refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }
  };
  private CapturedLogs logs;

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

  private TestNode server(Consumer<FrpcNode.Builder> settings) {
    TestNode node = TestNode.builder("game", 1).module("svc", null, 1, i -> new Service())
        .configure(settings.andThen(builder -> builder.observer(countRefusals))).start();
    open.add(node);
    return node;
  }

  private static String source(int connection) {
    return "127.0.0." + (2 + connection % 40);
  }

  private Map<String, Long> refusalCounts() {
    return refusals.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().sum()));
  }

  private long refused(String reason) {
    LongAdder count = refusals.get(reason);
    return count == null ? 0 : count.sum();
  }

  @Test
  void connectionsClosedDuringTheHandshakeHoldNothingOnceClosed() throws IOException {
    TestNode server = server(node -> node.handshakeTimeout(Duration.ofMillis(500)));
    for (int i = 0; i < 2_000; i++) {
      try (RawPeer peer = RawPeer.connectFrom(source(i), server.port())) {
        if (i % 2 == 1) {
          peer.send(new byte[] {0, 0});
        }
      }
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> server.node.handshakingConnections() == 0);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(logs.messages(Level.WARN)).noneMatch(message -> message.contains("no handshake within")));
    // each is counted once, by its reason: closed by the peer, or (when the node accepts faster than it reads
    // the peers' closes) refused by a handshake limit; none as a handshake timeout
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<String, Long> counts = refusalCounts();
      assertThat(counts.keySet()).as("reasons counted").contains("closed-during-handshake").isSubsetOf(
          "closed-during-handshake", "frpc.server.max-handshaking-per-address",
          "frpc.server.max-handshaking-per-network", "frpc.server.max-handshaking");
      assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).as("connections counted").isEqualTo(2_000);
    });
  }

  @Test
  void aCallerWithAnotherSecretMakesTheAcceptingNodeWarnOnceThatItLacksTheSecret() {
    TestNode server = server(node -> node.secret(SECRET));
    TestNode caller = TestNode.builder("caller", 1).configure(node -> node.secret(OTHER)).start();
    open.add(caller);
    caller.knows(server);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logs.messages(Level.WARN))
        .anyMatch(message -> message.contains("most likely does not share this node's secret (frpc.security.secret)")));
    await().atMost(Duration.ofSeconds(10)).until(() -> refused("frpc.security.secret") >= 3);
    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("does not share")).hasSize(1);
  }
}
