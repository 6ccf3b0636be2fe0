package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.observability.FrpcObserver;
import io.frpc.testing.CapturedLogs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What connections that never complete their handshake can do to a node, from however many addresses: they
 * cannot keep out a node that shares the secret, hold memory once closed, or open faster than the handshake
 * rate of their address; and a node that lacks the secret is named as such in the accepting node's log.
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

  /** Whether a fresh node {@code caller:id} with the secret is admitted and served within {@code wait}. */
  private static boolean servedWithin(Duration wait, int id, TestNode server) {
    try (TestNode caller = TestNode.builder("caller", id).configure(node -> node.secret(SECRET)).start()) {
      caller.knows(server);
      await().atMost(wait).until(() -> caller.client.isActive("game", 1));
      return caller.frpc.module("game", "svc").call("echo", String.class, "hello").equals("hello");
    } catch (ConditionTimeoutException notAdmitted) {
      return false;
    }
  }

  @Test
  void halfOpenHandshakesFromFortyAddressesNeverKeepOutANodeThatSharesTheSecret() throws IOException {
    TestNode server = server(node -> node.secret(SECRET).handshakeTimeout(Duration.ofMinutes(1)));
    HalfOpenFlood flood = HalfOpenFlood.open(server.port(), 2_048, 40);
    open.add(flood);
    ScheduledExecutorService attacker = Executors.newSingleThreadScheduledExecutor();
    open.add(attacker::shutdownNow);
    // what the node closes comes back at 1,000 connections a second, within every rate limit
    attacker.scheduleWithFixedDelay(() -> flood.reopen(10), 10, 10, TimeUnit.MILLISECONDS);

    int served = 0;
    for (int id = 1; id <= 10; id++) {
      served += servedWithin(Duration.ofSeconds(3), id, server) ? 1 : 0;
    }

    assertThat(served).as("fresh callers served while 2,048 half-open handshakes are held").isEqualTo(10);
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
    // each is counted once, by its reason: closed by the peer, or (when the node accepts faster than it reads
    // the peers' closes) closed to make room for newer ones; none as a handshake timeout (that a closed
    // connection's handshake timer never fires is HandshakeTimeoutTest's, on the event loop's time)
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<String, Long> counts = refusalCounts();
      assertThat(counts.keySet()).as("reasons counted").contains("closed-during-handshake").isSubsetOf(
          "closed-during-handshake", "frpc.server.max-handshaking-per-address",
          "frpc.server.max-handshaking-per-network", "frpc.server.max-handshaking");
      assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).as("connections counted").isEqualTo(2_000);
    });
    assertThat(logs.messages(Level.WARN)).noneMatch(message -> message.contains("no handshake within"));
  }

  @Test
  void connectionsBeyondTheHandshakeRateOfAnAddressAreClosedWhileOtherAddressesGetIn() throws IOException {
    TestNode server = server(node -> node.handshakeRatePerAddress(20));
    List<RawPeer> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      RawPeer peer = RawPeer.connectFrom("127.0.0.5", server.port());
      open.add(peer);
      burst.add(peer);
    }
    int admitted = 0;
    for (int i = 0; i < burst.size(); i++) {
      admitted += burst.get(i).admittedAs(i) ? 1 : 0;
    }

    assertThat(admitted).as("admitted of 40 opened at once, 20 a second").isBetween(20, 30);
    try (RawPeer other = RawPeer.connectFrom("127.0.0.6", server.port())) {
      assertThat(other.admittedAs(100)).isTrue();
    }
    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains(
        "frpc.server.handshake-rate-per-address")).hasSize(1);
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
