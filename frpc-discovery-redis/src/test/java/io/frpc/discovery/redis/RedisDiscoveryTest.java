package io.frpc.discovery.redis;

import static io.frpc.discovery.redis.RedisNodes.Option.notRegistering;
import static io.frpc.discovery.redis.RedisNodes.events;
import static io.frpc.discovery.redis.RedisNodes.frpc;
import static io.frpc.discovery.redis.RedisNodes.local;
import static io.frpc.discovery.redis.RedisNodes.port;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.UnknownNodeNameException;
import io.frpc.discovery.redis.RedisNodes.Node;
import io.frpc.internal.protocol.FrameType;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import io.frpc.testing.CapturedLogs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis discovery end to end: real Redis, real nodes, real TCP between them. Latencies are
 * printed (and recorded in docs/benchmarks.md); the assertions use generous bounds.
 */
@ExtendWith(RedisServerExtension.class)
class RedisDiscoveryTest {

  private final TestRedis redis;
  private final RedisDeployment standalone;
  private RedisNodes nodes;

  RedisDiscoveryTest(TestRedis redis) {
    this.redis = redis;
    this.standalone = RedisDeployment.standalone(redis);
  }

  @BeforeEach
  void create() {
    nodes = RedisNodes.standalone(redis);
  }

  @AfterEach
  void close() {
    nodes.close();
  }

  @Test
  void aServingNodeRegistersAndAWatcherConnectsToIt() {
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
    assertThat(frpc(lobby).module("game", "where").call("id", Integer.class)).isEqualTo(1);
    assertThat(events(lobby).log()).containsExactly("up game:1");
    RedisDiscoverySettings settings = game.discovery().settings();
    NodeRegistration registration = JsonMapper.builder().build()
        .readValue(redis.execute("GET", settings.key(new NodeId("game", 1))), NodeRegistration.class);
    assertThat(registration).usingRecursiveComparison().ignoringFields("startedAt").isEqualTo(
        new NodeRegistration("127.0.0.1", port(game), false, FrameType.PROTOCOL_VERSION, local(game).bootId()));
    assertThat(registration.startedAt()).as("when the node started")
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
    assertThat(redis.execute("PTTL", nodes.key(1))).satisfies(ttl -> assertThat(Long.parseLong(ttl)).isBetween(1L, 2000L));
    assertThat(redis.execute("CONFIG", "GET", "notify-keyspace-events")).contains("K", "g", "$", "x");
  }

  @Test
  void aNodeIsVisibleWithinHalfASecondOfItsRegistration() throws Exception {
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1, notRegistering());
    awaitWatching(lobby);

    try (ManualRegistration registration = new ManualRegistration(standalone,
        game.discovery().settings(), local(game).id(), port(game), local(game).bootId())) {
      long registered = System.nanoTime();
      registration.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> events(lobby).firstNanos("up game:1") > 0);
      long millis = TimeUnit.NANOSECONDS.toMillis(events(lobby).firstNanos("up game:1") - registered);
      System.out.printf("MEASURED node up after registration: %d ms%n", millis);
      assertThat(millis).isLessThan(500);
    }
  }

  @Test
  void aGracefullyStoppedNodeIsReportedDownWithinHalfASecond() {
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));

    long stopping = System.nanoTime();
    game.close();

    // The node announces its shutdown on the connection before it deletes its key: the caller reports the
    // shutdown, once, and the deletion that follows changes nothing.
    await().atMost(Duration.ofSeconds(5)).until(() -> events(lobby).log().size() == 2);
    String down = events(lobby).log().get(1);
    long millis = TimeUnit.NANOSECONDS.toMillis(events(lobby).firstNanos(down) - stopping);
    System.out.printf("MEASURED node down after graceful shutdown began: %d ms (%s)%n", millis, down);
    assertThat(millis).isLessThan(500);
    assertThat(down).isEqualTo("down game:1 SHUTDOWN");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> events(lobby).log().size() == 2);
    assertThat(redis.execute("EXISTS", nodes.key(1))).isEqualTo("0");
  }

  @Test
  void aNodeWhoseRegistrationExpiresButWhoseConnectionAnswersIsKeptAsARedisStall() throws Exception {
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1, notRegistering());
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis");
        ManualRegistration registration = registeredAndSeen(game, lobby)) {
      registration.hang();

      // the heartbeat answered over the real connection: kept (WatcherStateMachineTest: kept while it answers)
      await().atMost(Duration.ofSeconds(10)).until(() -> logs.messages(Level.WARN).stream()
          .anyMatch(message -> message.contains("vanished from Redis, but its connection answers")));
      assertThat(frpc(lobby).isActive("game", 1)).isTrue();
      assertThat(events(lobby).log()).containsExactly("up game:1");
    }
  }

  @Test
  void aFrozenNodeLeavesEveryViewWithinTtlPlusOneSecond() throws Exception {
    Node lobby = nodes.lobby(1);
    long millis = millisUntilAFrozenNodeLeaves(lobby, Duration.ofSeconds(10));
    System.out.printf("MEASURED frozen node removed after it froze: %d ms (ttl 2000 ms)%n", millis);
    assertThat(millis).as("TTL + 1 s").isLessThan(2_000 + 1_000);
    assertThat(frpc(lobby).isActive("game")).isFalse();
  }

  @Test
  void aFrozenNodeLeavesWithinTtlPlusOneSecondAmongManyKeysThatExpire() throws Exception {
    // Redis finds expired keys by walking the keys with a TTL, about 200 a second: among thousands, its
    // "expired" notification can come many seconds after the TTL. The watcher must not wait for it.
    redis.execute("EVAL", "for i = 1, 5000 do redis.call('set', 'other-app:' .. i, 'x', 'PX', 600000) end", "0");
    try {
      long millis = millisUntilAFrozenNodeLeaves(nodes.lobby(1), Duration.ofSeconds(40));
      System.out.printf("MEASURED frozen node among 5,000 expiring keys removed after it froze: %d ms%n", millis);
      assertThat(millis).as("TTL + 1 s").isLessThan(2_000 + 1_000);
    } finally {
      redis.execute("EVAL", "for i = 1, 5000 do redis.call('del', 'other-app:' .. i) end", "0");
    }
  }

  /**
   * Registers game:1 by hand for a node that answers heartbeats, waits until {@code lobby} is connected, freezes
   * both (registrar and node), and returns how long {@code lobby} took to report it gone (EXPIRED).
   */
  private long millisUntilAFrozenNodeLeaves(Node lobby, Duration atMost) throws Exception {
    awaitWatching(lobby);
    RedisDiscoverySettings settings = lobby.discovery().settings();
    try (FakeNode frozen = new FakeNode("game", 1, "boot-frozen");
        ManualRegistration registration = new ManualRegistration(standalone, settings, new NodeId("game", 1),
            frozen.port(), "boot-frozen").start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> frpc(lobby).isActive("game", 1));
      long froze = System.nanoTime();
      frozen.freeze();
      registration.hang();
      await().atMost(atMost).until(() -> events(lobby).firstNanos("down game:1 EXPIRED") > 0);
      return TimeUnit.NANOSECONDS.toMillis(events(lobby).firstNanos("down game:1 EXPIRED") - froze);
    }
  }

  @Test
  void aBurstOfRegistrationsAndDeletionsReachesTheViewCompletely() {
    // Hundreds of notifications at once are read together (one batch of reads, not one round trip each);
    // none may be lost on the way, and a deletion after a registration wins.
    Node lobby = nodes.lobby(1);
    awaitWatching(lobby);
    registerInOneGo(300, "");
    awaitKnown(lobby, 300, Duration.ofSeconds(10));

    registerInOneGo(300, " redis.call('del', KEYS[1] .. i)");
    awaitKnown(lobby, 0, Duration.ofSeconds(10));
  }

  @Test
  void moreNotificationsThanTheWatcherQueuesAreDroppedAndAFullListingRecoversTheView() {
    Node lobby = nodes.lobby(1);
    awaitWatching(lobby);
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis")) {
      // Far more change notifications at once than the watcher queues: anyone may publish on a keyspace channel,
      // here 200,000 "set" notifications of keys that do not exist. Then the 300 registrations that must end up in
      // the view.
      redis.execute("EVAL", "for i = 1, 200000 do redis.call('publish', '__keyspace@0__:' .. KEYS[1] .. (1000 + i), "
          + "'set') end", "1", nodes.prefix() + ":rpc:game:");
      registerInOneGo(300, "");

      awaitKnown(lobby, 300, Duration.ofSeconds(30));
      assertThat(logs.messages(Level.WARN)).as("the queue overflowed").anyMatch(message -> message.contains(
          "dropping them, and listing every registration instead"));
    }
  }

  /** Writes registrations game:1..count in one script, each followed by {@code then} (Lua, {@code i} the id). */
  private void registerInOneGo(int count, String then) {
    String registration = "'{\"host\":\"127.0.0.1\",\"port\":' .. (20000 + i) .. ',\"tls\":false,"
        + "\"protocolVersion\":" + FrameType.PROTOCOL_VERSION + ",\"bootId\":\"boot-' .. i .. '\"}'";
    redis.execute("EVAL", "for i = 1, " + count + " do redis.call('set', KEYS[1] .. i, " + registration
        + ", 'PX', 60000)" + then + " end", "1", nodes.prefix() + ":rpc:game:");
  }

  /** Waits until {@code lobby} knows {@code count} game nodes. */
  private static void awaitKnown(Node lobby, int count, Duration atMost) {
    await().atMost(atMost).untilAsserted(() -> assertThat(lobby.node().knownNodes().keySet())
        .filteredOn(id -> id.name().equals("game")).hasSize(count));
  }

  @Test
  void aNewProcessUnderTheSameIdIsTreatedAsARestartOnceTheOldOneNoLongerAnswers() throws Exception {
    Node lobby = nodes.lobby(1);
    awaitWatching(lobby);
    Node game = nodes.game(1, notRegistering());
    RedisDiscoverySettings settings = lobby.discovery().settings();
    // the old process: registered, connected, then silent like a machine that died without closing its sockets
    try (FakeNode old = new FakeNode("game", 1, "boot-old");
        ManualRegistration first = new ManualRegistration(standalone, settings, new NodeId("game", 1), old.port(),
            "boot-old").start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> frpc(lobby).isActive("game", 1));
      old.freeze();
      first.hang();

      NodeRegistration restarted = new NodeRegistration("127.0.0.1", port(game), false, FrameType.PROTOCOL_VERSION,
          local(game).bootId());
      redis.execute("SET", nodes.key(1), JsonMapper.builder().build().writeValueAsString(restarted), "PX", "5000");

      await().atMost(Duration.ofSeconds(5)).until(() -> events(lobby).log().size() == 3);
      assertThat(events(lobby).log()).containsExactly("up game:1", "down game:1 RESTARTED", "up game:1");
      assertThat(frpc(lobby).module("game", "where").call("id", Integer.class)).isEqualTo(1);
    }
  }

  @Test
  void aCallToANameThatIsNotWatchedFailsAtOnceNamingTheWatchProperty() {
    Node lobby = nodes.lobby(1);
    long started = System.nanoTime();

    assertThatThrownBy(() -> frpc(lobby).module("gaem", "where").call("id", Integer.class))
        .isInstanceOf(UnknownNodeNameException.class)
        .hasMessageContaining("frpc.discovery.redis.watch")
        .hasMessageContaining("did you mean 'game'?");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aSecondProcessClaimingTheSameNodeIdDoesNotStealTheRegistration() {
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis")) {
      Node first = nodes.game(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> redis.execute("GET", nodes.key(1)) != null);
      Node second = nodes.game(1);
      RedisNodeDiscovery secondDiscovery = second.discovery();

      await().atMost(Duration.ofSeconds(5))
          .until(() -> secondDiscovery.registrationState() == RedisNodeDiscovery.RegistrationState.CONFLICT);
      // past the grace (TTL and a refresh) the second process says so (RedisNodeRegistrarTest: once a minute)
      await().atMost(Duration.ofSeconds(6)).until(() -> logs.messages(Level.ERROR).stream()
          .anyMatch(message -> message.contains("Two live processes claim node game:1")));
      assertThat(redis.execute("GET", nodes.key(1))).contains(local(first).bootId());
      assertThat(secondDiscovery.registrationState()).isEqualTo(RedisNodeDiscovery.RegistrationState.CONFLICT);
      assertThat(first.discovery().registrationState())
          .isEqualTo(RedisNodeDiscovery.RegistrationState.REGISTERED);
      assertThat(logs.messages(Level.ERROR)).anySatisfy(message -> assertThat(message)
          .contains("Two live processes claim node game:1", local(first).bootId(), local(second).bootId()));
    }
  }

  @Test
  void theProcessThatStartedFirstKeepsItsIdentityAcrossSixteenFlushAlls() {
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis")) {
      Node original = nodes.game(1);
      String originalBoot = local(original).bootId();
      await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(redis.execute("GET", nodes.key(1)))
          .contains(originalBoot));
      Node lobby = nodes.lobby(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
      Node duplicate = nodes.game(1);
      String duplicateBoot = local(duplicate).bootId();
      await().atMost(Duration.ofSeconds(5)).until(() -> duplicate.discovery()
          .registrationState() == RedisNodeDiscovery.RegistrationState.CONFLICT);

      for (int round = 0; round < 16; round++) {
        redis.flushAll();
        // whichever process claims the emptied key first, the one that started first holds it a refresh later
        await().atMost(Duration.ofSeconds(5)).until(() -> String.valueOf(redis.execute("GET", nodes.key(1)))
            .contains(originalBoot));
      }
      assertThat(original.discovery().registrationState())
          .isEqualTo(RedisNodeDiscovery.RegistrationState.REGISTERED);
      assertThat(events(lobby).log()).as("the caller stayed with the process it was connected to")
          .containsExactly("up game:1");
      assertThat(frpc(lobby).module("game", "where").call("id", Integer.class)).isEqualTo(1);
      // the duplicate says so, once it lost the key or waited a grace for it
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages(Level.ERROR).stream()
          .anyMatch(message -> message.contains(duplicateBoot) && message.contains("game:1")));
    }
  }

  @Test
  void foreignAndMalformedKeysAreIgnoredAndFlushAllHeals() {
    try (CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis")) {
      redis.execute("SET", nodes.prefix() + ":rpc:game:not-a-number", "x", "PX", "60000");
      redis.execute("SET", nodes.key(7), "{not json", "PX", "60000");
      redis.execute("SET", nodes.key(8), "{\"host\":\"\",\"port\":0,\"tls\":false,\"protocolVersion\":1,"
          + "\"bootId\":\"b-8\"}", "PX", "60000");
      Node lobby = nodes.lobby(1);
      nodes.game(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
      redis.execute("SET", nodes.key(9), "garbage after start", "PX", "60000");
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.messages(Level.WARN).stream()
          .anyMatch(message -> message.contains(nodes.key(9)) && message.contains("is not a node registration")));

      redis.flushAll();

      await().atMost(Duration.ofMillis(2_500)).until(() -> redis.execute("GET", nodes.key(1)) != null);
      // the node registered again; that the watcher keeps it meanwhile is WatcherStateMachineTest's
      assertThat(frpc(lobby).isActive("game", 1)).isTrue();
      assertThat(frpc(lobby).module("game", "where").call("id", Integer.class)).isEqualTo(1);
      assertThat(events(lobby).log()).containsExactly("up game:1");
      assertThat(logs.messages(Level.WARN))
          .anySatisfy(message -> assertThat(message).contains(":rpc:game:not-a-number", "does not end in a node id"))
          .anySatisfy(message -> assertThat(message).contains(nodes.key(7), "is not a node registration"))
          .anySatisfy(message -> assertThat(message).contains(nodes.key(8), "is unusable: no host"));
    }
  }


  @Test
  void callsContinueWhileRedisIsDownAndANodeStartedMeanwhileIsFoundWhenItReturns() {
    Node lobby = nodes.lobby(1);
    nodes.game(1);
    nodes.game(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).activeNodeIds("game").size() == 2);

    redis.stop();
    long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int calls = 0;
    Node third = null;
    while (System.nanoTime() < outageEnds) {
      frpc(lobby).module("game", "where").call("id", Integer.class);
      calls++;
      if (third == null && calls == 100) {
        third = nodes.game(3);
      }
    }
    long back = System.nanoTime();
    redis.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 3));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
    System.out.printf("MEASURED %d calls during a 10 s Redis outage, 0 failed; node started during the outage "
        + "found %d ms after Redis returned%n", calls, millis);
    assertThat(calls).isGreaterThan(100);
    assertThat(millis).as("found within 2 s of Redis returning").isLessThan(2_000);
    // a Redis that lost its data keeps no connected node from being kept (WatcherStateMachineTest: the listing after
    // Redis returns looks again at the known nodes it did not find, and keeps those that answer)
    assertThat(frpc(lobby).activeNodeIds("game")).hasSize(3);
    assertThat(events(lobby).log())
        .as("nodes that were up stayed up: a Redis without their keys did not tear them down")
        .containsExactlyInAnyOrder("up game:1", "up game:2", "up game:3");
  }

  @Test
  void aNodeStartsWhileRedisIsUnreachableAndFindsTheClusterWhenItAppears() {
    redis.stop();
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1);
    assertThat(lobby.node().isRunning()).isTrue();
    assertThat(game.node().isRunning()).isTrue();

    redis.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> frpc(lobby).isActive("game", 1));
    assertThat(frpc(lobby).module("game", "where").call("id", Integer.class)).isEqualTo(1);
  }

  @Test
  void healthIsDownWhileRedisIsUnreachableAndUpOnceDiscoveryWorks() {
    redis.stop();
    Node lobby = nodes.lobby(1);
    Node game = nodes.game(1);

    assertThat(game.node().discoveryHealth().healthy()).isFalse();
    assertThat(lobby.node().discoveryHealth().healthy()).isFalse();
    assertThat(game.node().discoveryHealth().details()).containsEntry("type", "redis");

    redis.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> game.node().discoveryHealth().healthy()
        && lobby.node().discoveryHealth().healthy() && frpc(lobby).isActive("game", 1));
    assertThat(game.node().discoveryHealth().details()).containsEntry("registration", "REGISTERED");
    assertThat(lobby.node().knownNodes()).containsOnlyKeys(new NodeId("game", 1));
  }

  /** Registers {@code game} by hand and waits until {@code lobby} is connected to it. */
  private ManualRegistration registeredAndSeen(Node game,
      Node lobby) {
    awaitWatching(lobby);
    ManualRegistration registration = new ManualRegistration(standalone,
        game.discovery().settings(), local(game).id(), port(game), local(game).bootId()).start();
    await().atMost(Duration.ofSeconds(5)).until(() -> frpc(lobby).isActive("game", 1));
    return registration;
  }

  private static void awaitWatching(Node lobby) {
    RedisNodeDiscovery discovery = lobby.discovery();
    // A calling node does not register: it is healthy once its subscription stands and its view is reconciled.
    await().atMost(Duration.ofSeconds(10)).until(() -> discovery.health().healthy());
  }
}
