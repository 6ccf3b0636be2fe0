package io.frpc.discovery.redis;

import static io.frpc.discovery.redis.RedisNodes.Option.maxNodesPerName;
import static io.frpc.discovery.redis.RedisNodes.events;
import static io.frpc.discovery.redis.RedisNodes.frpc;
import static io.frpc.discovery.redis.RedisNodes.local;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.AuthenticationException;
import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.discovery.redis.RedisNodes.Node;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.security.SharedSecrets;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import io.frpc.testing.CapturedLogs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No Redis entry and no Redis fault may hijack a node, hide it or tear down healthy connections: against
 * a real Redis, with the faults injected through Redis itself.
 */
@ExtendWith(RedisServerExtension.class)
class RedisHardeningTest {

  /** What must never reach a log line raw: control characters (CR, LF, ESC, NUL), bidi and zero-width
   * characters, lone surrogates. */
  private static final String UNSAFE_FOR_LOGS = "[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}]";

  private static final String VALID =
      "{\"host\":\"127.0.0.1\",\"port\":1,\"tls\":false,\"protocolVersion\":1,\"bootId\":\"b\"}";
  private static final RedisNodes.Option SECRET = RedisNodes.Option.secret("the-shared-secret-of-this-cluster");

  private final TestRedis redis;
  private final RedisDeployment standalone;
  private RedisNodes nodes;
  private CapturedLogs logs;

  RedisHardeningTest(TestRedis redis) {
    this.redis = redis;
    this.standalone = RedisDeployment.standalone(redis);
  }

  @BeforeEach
  void create() {
    nodes = RedisNodes.standalone(redis);
    logs = CapturedLogs.of("io.frpc");
  }

  @AfterEach
  void close() {
    nodes.close();
    logs.close();
  }

  @Test
  void aForeignValueWrittenUnderANodesKeyIsNotRenewedAndTheNodeReclaimsItsKey() {
    Node game = nodes.game(1);
    String bootId = local(game).bootId();
    await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(redis.execute("GET", nodes.key(1)))
        .contains(bootId));

    redis.execute("SET", nodes.key(1), "{\"host\":\"10.9.9.9\",\"port\":6666,\"tls\":false,\"protocolVersion\":1,"
        + "\"bootId\":\"intruder\"}", "PX", "2500");

    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages(Level.ERROR).stream()
        .anyMatch(message -> message.contains("was overwritten") && message.contains("intruder")
            && message.contains(bootId)));
    // not renewed: the foreign value expires, and the node claims its key again
    await().atMost(Duration.ofSeconds(8)).until(() -> String.valueOf(redis.execute("GET", nodes.key(1)))
        .contains(bootId));
  }

  @Test
  void aNodeWhoseKeyWasOverwrittenWithJunkStaysWhileItAnswersAndLeavesOnceFrozen() throws Exception {
    Node lobby = nodes.lobby(1);
    RedisNodeDiscovery discovery = lobby.discovery();
    await().atMost(Duration.ofSeconds(10)).until(() -> discovery.health().healthy());
    try (FakeNode node = new FakeNode("game", 1, "boot-1");
        ManualRegistration registration = new ManualRegistration(standalone, discovery.settings(),
            new NodeId("game", 1), node.port(), "boot-1").start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> frpc(lobby).isActive("game", 1));

      redis.execute("SET", nodes.key(1), "not a registration", "PX", "60000");
      // A foreign write does not take a healthy node away: a TTL later its connection is asked, and answers...
      await().atMost(Duration.ofSeconds(7)).until(() -> logs.messages(Level.WARN).stream()
          .anyMatch(message -> message.contains("but its connection answers")));
      assertThat(frpc(lobby).isActive("game", 1)).isTrue();
      assertThat(events(lobby).log()).containsExactly("up game:1");

      // ...nor keep a dead one: the node is checked once a TTL while its key holds junk.
      long froze = System.nanoTime();
      node.freeze();
      registration.hang();
      await().atMost(Duration.ofSeconds(10)).until(() -> events(lobby).firstNanos("down game:1 EXPIRED") > 0);
      long millis = (events(lobby).firstNanos("down game:1 EXPIRED") - froze) / 1_000_000;
      System.out.printf("MEASURED frozen node with junk under its key removed after it froze: %d ms%n", millis);
      assertThat(millis).as("TTL + 1 s").isLessThan(2_000 + 1_000);
      assertThat(logs.messages(Level.WARN).stream().filter(message -> message.contains("but its connection answers")))
          .as("one warning while it was kept").hasSize(1);
    }
  }

  @Test
  void aRegistrationWithoutAValidSignatureNeverReceivesAConnectionFromWatchersWithTheSecret() throws Exception {
    Node lobby = nodes.lobby(1, SECRET);
    nodes.game(3, SECRET);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 3));
    try (AcceptCounter forgedAddress = new AcceptCounter()) {
      NodeRegistration wrongKey = new NodeRegistration("127.0.0.1", forgedAddress.port(), false,
          FrameType.PROTOCOL_VERSION, "boot-wrong-key");
      byte[] signature = new SharedSecrets("the-secret-of-another-cluster", List.of(), Map.of())
          .sign(RegistrationCodec.content(new NodeId("game", 2), wrongKey));

      redis.execute("SET", nodes.key(1), registration(forgedAddress.port(), "boot-unsigned"), "PX", "60000");
      redis.execute("SET", nodes.key(2), registration(forgedAddress.port(), "boot-wrong-key").replace("}",
          ",\"sig\":\"" + Base64.getEncoder().encodeToString(signature) + "\"}"), "PX", "60000");

      // both values were read and refused (the watcher decides before it reports): never connected to
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logs.messages(Level.WARN))
          .anySatisfy(message -> assertThat(message).contains(nodes.key(1), "is not signed with the shared secret"))
          .anySatisfy(message -> assertThat(message).contains(nodes.key(2), "does not verify")));
      assertThat(forgedAddress.accepted()).isZero();
      assertThat(events(lobby).log()).containsExactly("up game:3");
    }
  }

  @Test
  void aNodeWithTheSecretTakesItsKeyBackFromAnUnsignedValueWithinOneRefresh() throws Exception {
    Node lobby = nodes.lobby(1, SECRET);
    Node game = nodes.game(1, SECRET);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
    String bootId = local(game).bootId();
    try (CallingLoop calls = new CallingLoop(frpc(lobby), List.of(1))) {
      long forged = System.nanoTime();
      redis.execute("SET", nodes.key(1), registration(6666, "intruder"), "PX", "600000");

      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
          .until(() -> String.valueOf(redis.execute("GET", nodes.key(1))).contains(bootId));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - forged);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> frpc(lobby).isActive("game", 1));
      System.out.printf("MEASURED unsigned value under a live key taken back after %d ms; %d calls, %d failed%n",
          millis, calls.calls(), calls.failures().size());
      assertThat(millis).as("within one refresh").isLessThan(2_000);
      assertThat(calls.failures()).isEmpty();
    }
    assertThat(Long.parseLong(redis.execute("PTTL", nodes.key(1)))).isBetween(1L, 2_000L);
    assertThat(events(lobby).log()).containsExactly("up game:1");
    assertThat(logs.messages(Level.WARN).stream().filter(message -> message.contains("took it back")))
        .hasSize(1).allSatisfy(message -> assertThat(message).contains(nodes.key(1), "not signed"));
  }

  @Test
  void aRegistrationOfATlsListenerMetByAPlainCallerIsNamedAsAMismatch() throws Exception {
    Node lobby = watchingLobby();
    RedisDiscoverySettings settings = lobby.discovery().settings();
    try (FakeNode node = new FakeNode("game", 1, "boot-tls");
        ManualRegistration registration = new ManualRegistration(standalone, settings, new NodeId("game", 1),
            node.port(), "boot-tls", true).start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream()
          .anyMatch(message -> message.contains("game:1 registered a TLS listener")
              && message.contains("set frpc.client.ssl.bundle")));
    }
  }

  @Test
  void aDeleteAndARewriteOfALiveKeyInOneStepKeepTheNodeUp() {
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
    String value = redis.execute("GET", nodes.key(1));

    for (int round = 0; round < 10; round++) {
      redis.execute("EVAL", "redis.call('del', KEYS[1]) redis.call('set', KEYS[1], ARGV[1], 'PX', 2000)", "1",
          nodes.key(1), value);
    }

    // nothing tells when the watcher is done with these notifications: half a second is many times what it takes
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> frpc(lobby).isActive("game", 1));
    assertThat(events(lobby).log()).containsExactly("up game:1");
    assertThat(game.node().isRunning()).isTrue();
  }

  @Test
  void deletingALiveNodesKeyEvery200MsFailsNoCallOfAConnectedCaller() throws Exception {
    Node lobby = nodes.lobby(1);
    nodes.game(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
    ScheduledExecutorService deleter = Executors.newSingleThreadScheduledExecutor();
    try (CallingLoop calls = new CallingLoop(frpc(lobby), List.of(1))) {
      deleter.scheduleAtFixedRate(() -> redis.execute("DEL", nodes.key(1)), 0, 200, TimeUnit.MILLISECONDS);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> frpc(lobby).isActive("game", 1));
      deleter.shutdownNow();
      System.out.printf("MEASURED key deleted every 200 ms for 2 s: %d calls, %d failed%n", calls.calls(),
          calls.failures().size());
      assertThat(calls.failures()).isEmpty();
    } finally {
      deleter.shutdownNow();
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> redis.execute("GET", nodes.key(1)) != null);
    assertThat(events(lobby).log()).containsExactly("up game:1");
  }

  @Test
  void twentyThousandFakeRegistrationsAreCappedAndAHealthyNodeOfTheNameKeepsBeingCalled() throws Exception {
    Node lobby = nodes.lobby(1, maxNodesPerName(100));
    nodes.game(1);
    callsSurviveTwentyThousandFakeRegistrations(lobby, 100);
  }

  @Test
  void twentyThousandUnsignedRegistrationsAreNeverFollowedAndAHealthyNodeOfTheNameKeepsBeingCalled()
      throws Exception {
    Node lobby = nodes.lobby(1, SECRET, maxNodesPerName(100));
    nodes.game(1, SECRET);
    callsSurviveTwentyThousandFakeRegistrations(lobby, 1);
  }

  /**
   * Writes 20,000 unsigned registrations of game (besides game:1, which {@code lobby} calls meanwhile) and checks
   * that no call fails, health names the cap of 100, and {@code lobby} knows at most {@code maxKnown} nodes.
   */
  private void callsSurviveTwentyThousandFakeRegistrations(Node lobby, int maxKnown)
      throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
    FrpcNode watcher = lobby.node();
    try (CallingLoop calls = new CallingLoop(frpc(lobby), List.of(1))) {
      redis.execute("EVAL", "for i = 1, 20000 do redis.call('set', KEYS[1] .. (100 + i), '{\"host\":\"127.0.0.1\","
          + "\"port\":1,\"tls\":false,\"protocolVersion\":" + FrameType.PROTOCOL_VERSION + ",\"bootId\":\"fake-' .. i"
          + " .. '\"}', 'PX', 60000) end", "1", nodes.prefix() + ":rpc:game:");

      // counted by a listing after all 20,000 were written; never followed past the cap (WatcherStateMachineTest)
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(watcher.discoveryHealth().details())
          .containsEntry("capped", "game (100 of 20,001 keys)"));
      assertThat(watcher.knownNodes()).hasSizeLessThanOrEqualTo(maxKnown);
      System.out.printf("MEASURED 20,000 fake registrations, cap 100: %d known, %d calls, %d failed%n",
          watcher.knownNodes().size(), calls.calls(), calls.failures().size());
      assertThat(calls.failures()).isEmpty();
    } finally {
      redis.execute("EVAL", "for i = 1, 20000 do redis.call('unlink', KEYS[1] .. (100 + i)) end", "1",
          nodes.prefix() + ":rpc:game:");
    }
  }

  @Test
  void aRedisStallLongerThanTheTtlDropsNoHealthyConnectionAndNoCall() throws Exception {
    Node lobby = nodes.lobby(1);
    nodes.game(1);
    nodes.game(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).activeNodeIds("game").size() == 2);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CompletableFuture<Void> stall = CompletableFuture.runAsync(() -> redis.execute("DEBUG", "SLEEP", "5"));
    long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (System.nanoTime() < until) {
      try {
        frpc(lobby).module("game", "where").call("id", Integer.class);
        calls.incrementAndGet();
      } catch (RuntimeException e) {
        failures.incrementAndGet();
      }
    }
    stall.join();

    assertThat(frpc(lobby).activeNodeIds("game")).hasSize(2);
    System.out.printf("MEASURED during a 5 s Redis stall: %d calls, %d failed, events %s%n", calls.get(),
        failures.get(), events(lobby).log());
    assertThat(failures.get()).isZero();
    assertThat(events(lobby).log()).containsExactlyInAnyOrder("up game:1", "up game:2");
  }

  @Test
  void unreadableKeysAndAHugeValueDoNotBlindAStartingCaller() {
    nodes.game(1);
    nodes.game(2);
    for (int i = 0; i < 50; i++) {
      redis.execute("HSET", nodes.key(100 + i), "field", "value");
    }
    // a 64 MiB string, made by Redis itself
    redis.execute("SETRANGE", nodes.key(99), Integer.toString((64 << 20) - 1), "x");
    redis.execute("PEXPIRE", nodes.key(99), "60000");
    await().atMost(Duration.ofSeconds(5)).until(() -> redis.execute("GET", nodes.key(2)) != null);

    Node lobby = watchingLobby();

    await().atMost(Duration.ofSeconds(1)).until(() -> frpc(lobby).activeNodeIds("game").size() == 2);
    // reported without reading the values: the first ten of the 51 keys, each once
    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.startsWith("Ignoring Redis key"))
        .isNotEmpty().allSatisfy(message -> assertThat(message).containsAnyOf("it holds a hash",
            "it holds a value of 67108864 bytes"));
  }

  @Test
  void junkUnderThePrefixIsIgnoredAndReportedInABoundedWay() {
    Node lobby = watchingLobby();
    String valid = "{\"host\":\"127.0.0.1\",\"port\":1,\"tls\":false,\"protocolVersion\":1,\"bootId\":\"b\"}";
    redis.execute("SET", nodes.prefix() + ":rpc:game:01", valid, "PX", "60000");
    redis.execute("SET", nodes.prefix() + ":rpc:game:+1", valid, "PX", "60000");
    redis.execute("SET", nodes.key(5), valid);
    redis.execute("SET", nodes.key(6), "{\"host\":\"" + "h".repeat(2000) + "\",\"port\":1}", "PX", "60000");
    redis.execute("SET", nodes.key(7), valid.replace("127.0.0.1", "bad host\\nINFO forged"), "PX", "60000");
    for (int i = 0; i < 500; i++) {
      redis.execute("SET", nodes.prefix() + ":rpc:game:junk" + i, "x", "PX", "60000");
    }

    // at most ten lines a minute however many junk keys (the rule is WatcherStateMachineTest's), with one of slack
    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).size() >= 10);
    assertThat(logs.messages(Level.WARN)).hasSizeLessThanOrEqualTo(11)
        .anySatisfy(message -> assertThat(message).contains(":rpc:game:01", "canonical decimal"))
        .anySatisfy(message -> assertThat(message).contains(":rpc:game:+1", "canonical decimal"));
    assertThat(frpc(lobby).isActive("game")).isFalse();
    assertThat(frpc(lobby).activeNodeIds("game")).isEmpty();
  }

  @Test
  void keysWithControlCharactersAreIgnoredAndLoggedEscaped() {
    Node lobby = watchingLobby();
    redis.execute("SET", nodes.key(1) + "\r\nERROR frpc node game:1 was hijacked", VALID, "PX", "60000");
    redis.execute("SET", nodes.key(2) + "\u001b[2J\u202Eevil", VALID, "PX", "60000");

    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).size() >= 2);
    assertThat(logs.messages(Level.WARN))
        .allSatisfy(message -> assertThat(message).doesNotContainPattern(UNSAFE_FOR_LOGS))
        .anySatisfy(message -> assertThat(message).contains(nodes.key(1) + "\\u000D\\u000AERROR frpc node"))
        .anySatisfy(message -> assertThat(message).contains(nodes.key(2) + "\\u001B[2J\\u202Eevil"));
    assertThat(frpc(lobby).isActive("game")).isFalse();
  }

  @Test
  void aKeyWithANegativeIdIsIgnoredAsJunk() {
    Node lobby = watchingLobby();
    redis.execute("SET", nodes.prefix() + ":rpc:game:-1", VALID, "PX", "60000");

    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream()
        .anyMatch(message -> message.contains(":rpc:game:-1") && message.contains("non-negative")));
    assertThat(lobby.node().knownNodes()).isEmpty();
  }

  @Test
  void aForeignValueWithControlCharactersInItsHostIsLoggedEscaped() {
    Node game = nodes.game(1);
    String bootId = local(game).bootId();
    await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(redis.execute("GET", nodes.key(1)))
        .contains(bootId));

    redis.execute("SET", nodes.key(1), "{\"host\":\"10.9.9.9\\r\\nERROR forged\\u001b[0m\",\"port\":6666,"
        + "\"tls\":false,\"protocolVersion\":1,\"bootId\":\"intruder\"}", "PX", "2500");

    await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages(Level.ERROR).stream()
        .anyMatch(message -> message.contains("was overwritten") && message.contains("intruder")));
    assertThat(logs.messages(Level.ERROR)).filteredOn(message -> message.contains("was overwritten"))
        .allSatisfy(message -> assertThat(message).doesNotContainPattern(UNSAFE_FOR_LOGS)
            .contains("10.9.9.9\\u000D\\u000AERROR forged\\u001B[0m:6666"));
  }

  @Test
  void aKeyWithoutTtlAndAnOversizedOrMalformedValueAreNotNodes() {
    Node lobby = watchingLobby();
    String valid = "{\"host\":\"127.0.0.1\",\"port\":1,\"tls\":false,\"protocolVersion\":1,\"bootId\":\"b\"}";
    redis.execute("SET", nodes.key(5), valid);
    redis.execute("SET", nodes.key(6), valid.replace("\"b\"", "\"" + "b".repeat(2000) + "\""), "PX", "60000");
    redis.execute("SET", nodes.key(7), valid.replace("127.0.0.1", "bad host"), "PX", "60000");

    await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).size() >= 3);
    assertThat(logs.messages(Level.WARN))
        .anySatisfy(message -> assertThat(message).contains(nodes.key(5), "has no TTL"))
        .anySatisfy(message -> assertThat(message).contains(nodes.key(6), "more than a registration's 1024"))
        .anySatisfy(message -> assertThat(message).contains(nodes.key(7), "not a host name"));
    assertThat(frpc(lobby).activeNodeIds("game")).isEmpty();
  }

  /** A lobby node whose subscription stands and whose view has been reconciled with Redis. */
  private Node watchingLobby() {
    Node lobby = nodes.lobby(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> lobby.discovery().health().healthy());
    return lobby;
  }

  /** An unsigned registration of 127.0.0.1:{port}. */
  private static String registration(int port, String bootId) {
    return "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"tls\":false,\"protocolVersion\":"
        + FrameType.PROTOCOL_VERSION + ",\"bootId\":\"" + bootId + "\"}";
  }

  /** A listener that accepts connections, counts them and closes them. */
  private static final class AcceptCounter implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger accepted = new AtomicInteger();

    AcceptCounter() throws IOException {
      Thread thread = new Thread(() -> {
        while (!listener.isClosed()) {
          try (Socket ignored = listener.accept()) {
            accepted.incrementAndGet();
          } catch (IOException e) {
            // closed
          }
        }
      }, "accept-counter");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
