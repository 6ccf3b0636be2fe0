package io.frpc.discovery.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.discovery.redis.WatcherStateMachine.Action;
import io.frpc.discovery.redis.WatcherStateMachine.ConfirmRemoval;
import io.frpc.discovery.redis.WatcherStateMachine.ListKeys;
import io.frpc.discovery.redis.WatcherStateMachine.NodeAvailable;
import io.frpc.discovery.redis.WatcherStateMachine.NodeUnavailable;
import io.frpc.discovery.redis.WatcherStateMachine.Probe;
import io.frpc.discovery.redis.WatcherStateMachine.ProbeReplaced;
import io.frpc.discovery.redis.WatcherStateMachine.ProbeVanished;
import io.frpc.discovery.redis.WatcherStateMachine.Read;
import io.frpc.internal.protocol.FrameType;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The watcher's decisions, without Redis: each test feeds {@link WatcherStateMachine} what Redis would hold and
 * moves a {@link ManualClock} instead of waiting. TTL 2 s, refresh 1 s (grace 3 s), at most 3 nodes per name.
 */
class WatcherStateMachineTest {

  private static final RedisDiscoverySettings SETTINGS = new RedisDiscoverySettings("frpc", Duration.ofSeconds(2),
      Duration.ofSeconds(1), Duration.ofSeconds(60), List.of("game"), true, 0, 3, true);
  private static final RegistrationCodec CODEC = new RegistrationCodec(JsonMapper.builder().build(),
      RegistrationSignatures.NONE);
  private static final RegistrationReader.Registration GONE = new RegistrationReader.Registration(null, -2, null);

  private final ManualClock clock = new ManualClock();
  private final WatcherStateMachine machine = new WatcherStateMachine(SETTINGS, CODEC, false, clock);
  private final CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis");

  /** Class loading and a first round of each step, so that each test's time is its own. */
  @BeforeAll
  static void warmUp() {
    try (CapturedLogs ignored = CapturedLogs.of("io.frpc.discovery.redis")) {
      ManualClock clock = new ManualClock();
      WatcherStateMachine machine = new WatcherStateMachine(SETTINGS, CODEC, false, clock);
      machine.read(key(1), KeyEvent.CHANGED, registered(1, "boot-warm-up"), clock.nanoTime());
      clock.advance(Duration.ofSeconds(3));
      machine.probed((Probe) machine.read(key(1), KeyEvent.OVERDUE, GONE, clock.nanoTime()).get(0), false,
          clock.nanoTime());
      assertThat(List.of("AssertJ loads its classes once")).singleElement().asString().contains("once");
    }
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
  }

  @Test
  void aValidRegistrationMakesItsNodeAvailableAtTheRegisteredAddress() {
    assertThat(read(1, KeyEvent.CHANGED, registered(1, "boot-a"))).containsExactly(available(1));
    assertThat(machine.followed()).containsExactly(game(1));
  }

  @Test
  void aRegistrationExpiresOneTtlAfterItsLastRefreshAndItsNodeLeavesOnceItsConnectionIsSilent() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    advance(2_000);
    assertThat(overdue()).as("at the TTL itself").isEmpty();
    advance(1);
    assertThat(overdue()).containsExactly(new Read(key(1), KeyEvent.OVERDUE));

    // reading it makes Redis expire it: gone
    List<Action> probe = read(1, KeyEvent.OVERDUE, GONE);
    assertThat(probe).containsExactly(new ProbeVanished(game(1), NodeDownReason.EXPIRED));
    assertThat(probed(probe, false)).containsExactly(new ConfirmRemoval(game(1), NodeDownReason.EXPIRED));
    assertThat(machine.removalChecked(game(1), NodeDownReason.EXPIRED, GONE, now()))
        .containsExactly(new NodeUnavailable(game(1), NodeDownReason.EXPIRED));
    assertThat(machine.followed()).isEmpty();
    assertThat(overdue()).as("nothing left to look at").isEmpty();
  }

  @Test
  void aRefreshExtendsTheDeadlineByOneTtlAndCostsNoRead() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    advance(1_500);
    machine.refreshed(key(1), now());
    advance(1_999);
    assertThat(overdue()).isEmpty();
    advance(2);
    assertThat(overdue()).containsExactly(new Read(key(1), KeyEvent.OVERDUE));
  }

  @Test
  void aQuietClusterRefreshingEverySecondCostsTheWatcherNoReadInThirtySeconds() {
    IntStream.rangeClosed(1, 3).forEach(id -> read(id, KeyEvent.CHANGED, registered(id, "boot-" + id)));

    for (int second = 0; second < 30; second++) {
      advance(1_000);
      IntStream.rangeClosed(1, 3).forEach(id -> machine.refreshed(key(id), now()));
      for (int tick = 0; tick < 10; tick++) {
        assertThat(overdue()).isEmpty();
        advance(100);
      }
    }
  }

  @Test
  void aRefreshOfAKeyTheWatcherDoesNotFollowIsIgnored() {
    machine.refreshed(key(9), now());

    advance(10_000);
    assertThat(overdue()).isEmpty();
  }

  @Test
  void aDeletedKeyOfAConnectedNodeIsProbedAndTheNodeKeptWhileItAnswers() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    List<Action> probe = read(1, KeyEvent.DELETED, GONE);
    assertThat(probe).containsExactly(new ProbeVanished(game(1), NodeDownReason.DEREGISTERED));
    assertThat(probed(probe, true)).isEmpty();
    assertThat(machine.followed()).containsExactly(game(1));
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("game:1 vanished from Redis, but its connection answers: keeping it");

    // looked at again after a grace (TTL and a refresh): its registrar wrote the key again meanwhile
    advance(2_999);
    assertThat(overdue()).isEmpty();
    advance(1);
    assertThat(overdue()).containsExactly(new Read(key(1), KeyEvent.MISSING));
    assertThat(read(1, KeyEvent.MISSING, registered(1, "boot-a"))).containsExactly(available(1));
    advance(10_000);
    assertThat(overdue()).containsExactly(new Read(key(1), KeyEvent.OVERDUE));
  }

  @Test
  void aNodeKeptDespiteRedisIsWarnedAboutOnceAMinute() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    for (int i = 0; i < 20; i++) {
      probed(read(1, KeyEvent.DELETED, GONE), true);
      advance(5_000);
    }

    assertThat(logs.messages(Level.WARN)).filteredOn(message -> message.contains("but its connection answers"))
        .hasSize(2);
  }

  @Test
  void aNodeWhoseKeyIsDeletedAndWhoseProbeFailsLeavesAsDeregistered() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    List<Action> probe = read(1, KeyEvent.DELETED, GONE);
    assertThat(probed(probe, false)).containsExactly(new ConfirmRemoval(game(1), NodeDownReason.DEREGISTERED));
    assertThat(machine.removalChecked(game(1), NodeDownReason.DEREGISTERED, GONE, now()))
        .containsExactly(new NodeUnavailable(game(1), NodeDownReason.DEREGISTERED));
  }

  @Test
  void aNodeThatRegisteredAgainWhileItsProbeRanIsNotRemoved() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    probed(read(1, KeyEvent.EXPIRED, GONE), false);

    assertThat(machine.removalChecked(game(1), NodeDownReason.EXPIRED, registered(1, "boot-a"), now())).isEmpty();
    assertThat(machine.followed()).containsExactly(game(1));
  }

  @Test
  void aKeyThatCannotBeReadBeforeRemovalDoesNotKeepASilentNode() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    probed(read(1, KeyEvent.EXPIRED, GONE), false);

    assertThat(machine.removalChecked(game(1), NodeDownReason.EXPIRED, null, now()))
        .containsExactly(new NodeUnavailable(game(1), NodeDownReason.EXPIRED));
  }

  @Test
  void aDeleteAndARewriteInOneStepChangeNothing() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    // the notification says "del", but the read finds the key written again
    assertThat(read(1, KeyEvent.DELETED, registered(1, "boot-a"))).containsExactly(available(1));
  }

  @Test
  void aProbeAnsweredAfterTheNodeLeftChangesNothing() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));
    List<Action> first = read(1, KeyEvent.EXPIRED, GONE);
    machine.removalChecked(game(1), NodeDownReason.EXPIRED, GONE, now());

    assertThat(probed(first, true)).isEmpty();
    assertThat(machine.followed()).isEmpty();
  }

  @Test
  void aKeyNamingAnotherProcessKeepsTheConnectedOneWhileItAnswersAndIsLookedAtAgainOnceATtl() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    // another process (another address) under the same identity, or an overwrite
    List<Action> probe = read(1, KeyEvent.CHANGED, registered(1, "boot-b", "10.0.0.66", 6666));
    assertThat(probe).singleElement().isInstanceOf(ProbeReplaced.class);
    assertThat(probed(probe, true)).as("callers stay with the connected process").isEmpty();
    assertThat(logs.messages(Level.ERROR)).singleElement().asString()
        .contains("node game:1 names another process", "boot id boot-b at 10.0.0.66:6666", "(boot id boot-a)");

    // the key still names the other process a TTL later: looked at again, still kept, no second ERROR
    advance(2_001);
    assertThat(overdue()).contains(new Read(key(1), KeyEvent.OVERDUE));
    assertThat(probed(read(1, KeyEvent.OVERDUE, registered(1, "boot-b", "10.0.0.66", 6666)), true)).isEmpty();
    assertThat(logs.messages(Level.ERROR)).hasSize(1);

    // the process that started first took its key back: nothing contested any more
    assertThat(read(1, KeyEvent.CHANGED, registered(1, "boot-a"))).containsExactly(available(1));
    advance(1_000);
    assertThat(overdue()).isEmpty();
  }

  @Test
  void aKeyFlippedBetweenTwoProcessesIsReportedOnceAMinuteWithTheCountOfTheRest() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    for (int flip = 0; flip < 10; flip++) {
      probed(read(1, KeyEvent.CHANGED, registered(1, "boot-b", "10.0.0.66", 6666)), true);
      read(1, KeyEvent.CHANGED, registered(1, "boot-a"));
      advance(5_000);
    }
    assertThat(logs.messages(Level.ERROR)).hasSize(1);

    advance(10_000);
    probed(read(1, KeyEvent.CHANGED, registered(1, "boot-b", "10.0.0.66", 6666)), true);
    assertThat(logs.messages(Level.ERROR)).hasSize(2).last().asString()
        .contains("names another process", "(9 similar line(s) held back since the last)");
  }

  @Test
  void aKeyNamingAnotherProcessIsARestartOnceTheConnectedOneNoLongerAnswers() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    List<Action> probe = read(1, KeyEvent.CHANGED, registered(1, "boot-b", "10.0.0.66", 6666));

    assertThat(probed(probe, false)).containsExactly(new NodeUnavailable(game(1), NodeDownReason.RESTARTED),
        new NodeAvailable(game(1), "10.0.0.66", 6666));
    assertThat(logs.messages(Level.INFO)).anySatisfy(message -> assertThat(message)
        .contains("Node game:1 restarted (boot id boot-a -> boot-b)"));
  }

  @Test
  void anOverwriteWithJunkKeepsAConnectedNodeAndIsCheckedOnceATtl() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-a"));

    assertThat(read(1, KeyEvent.CHANGED, value("not a registration"))).isEmpty();
    assertThat(machine.followed()).containsExactly(game(1));

    advance(2_001);
    List<Action> probe = read(1, KeyEvent.OVERDUE, value("not a registration"));
    assertThat(probe).containsExactly(new ProbeVanished(game(1), NodeDownReason.EXPIRED));
    assertThat(probed(probe, true)).isEmpty();
    advance(2_001);
    assertThat(probed(read(1, KeyEvent.OVERDUE, value("not a registration")), false))
        .containsExactly(new ConfirmRemoval(game(1), NodeDownReason.EXPIRED));
    assertThat(machine.removalChecked(game(1), NodeDownReason.EXPIRED, value("not a registration"), now()))
        .containsExactly(new NodeUnavailable(game(1), NodeDownReason.EXPIRED));
  }

  @Test
  void atMostTheCapOfKeysPerNameIsReadAndTheRestOnlyCounted() {
    List<Action> decided = machine.notified(notifications(1, 2, 3, 4, 5), now());

    assertThat(decided).containsExactly(new Read(key(1), KeyEvent.CHANGED), new Read(key(2), KeyEvent.CHANGED),
        new Read(key(3), KeyEvent.CHANGED), new ListKeys());
    IntStream.rangeClosed(1, 3).forEach(id -> read(id, KeyEvent.CHANGED, registered(id, "boot-" + id)));
    assertThat(machine.capped()).isEqualTo("game (3 of more than 3 keys)");
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("more registration keys of game than frpc.discovery.redis.max-nodes-per-name (3)");

    // known nodes are always read; others wait, and the keys are listed for a count at most every 5 s
    assertThat(machine.notified(notifications(1, 6), now())).containsExactly(new Read(key(1), KeyEvent.CHANGED));
    advance(5_001);
    assertThat(machine.notified(notifications(7), now())).containsExactly(new ListKeys());

    WatcherStateMachine.Listing listing = machine.listing(false);
    listing.begin("game");
    IntStream.rangeClosed(1, 7).forEach(id -> listing.found("game", key(id), now()));
    listing.end("game");
    assertThat(listing.toRead()).as("no room for more").isEmpty();
    assertThat(machine.capped()).isEqualTo("game (3 of 7 keys)");
  }

  @Test
  void unusableValuesUseUpTheRoomOfTheCapUntilTheNextListing() {
    machine.notified(notifications(1, 2, 3), now());
    IntStream.rangeClosed(1, 3).forEach(id -> read(id, KeyEvent.CHANGED, value("junk " + id)));

    assertThat(machine.notified(notifications(4), now())).containsExactly(new ListKeys());

    // a listing starts the count afresh: there is room for three of the four keys again
    WatcherStateMachine.Listing listing = machine.listing(false);
    listing.begin("game");
    IntStream.rangeClosed(1, 4).forEach(id -> listing.found("game", key(id), now()));
    listing.end("game");
    assertThat(listing.toRead()).containsExactly(key(1), key(2), key(3));
    assertThat(machine.capped()).isEqualTo("game (3 of 4 keys)");
  }

  @Test
  void aNameBackUnderItsCapIsFollowedInFullAgain() {
    machine.notified(notifications(1, 2, 3, 4), now());
    WatcherStateMachine.Listing listing = machine.listing(false);
    listing.begin("game");
    listing.found("game", key(1), now());
    listing.end("game");

    assertThat(machine.capped()).isNull();
    assertThat(logs.messages(Level.INFO)).anySatisfy(message -> assertThat(message)
        .contains("Redis holds 1 registration key(s) of game: following them all again"));
  }

  @Test
  void junkKeysAndValuesAreReportedAndNeverFollowed() {
    Map<String, KeyEvent> junkKeys = new LinkedHashMap<>();
    junkKeys.put("frpc:rpc:game:01", KeyEvent.CHANGED);
    junkKeys.put("frpc:rpc:game:+1", KeyEvent.CHANGED);
    junkKeys.put("frpc:rpc:game:-1", KeyEvent.CHANGED);
    junkKeys.put("frpc:rpc:game:x", KeyEvent.CHANGED);
    assertThat(machine.notified(junkKeys, now())).as("not even read").isEmpty();

    String valid = registered(5, "boot-5").value();
    assertThat(read(5, KeyEvent.CHANGED, new RegistrationReader.Registration(valid, -1, null))).isEmpty();
    assertThat(read(6, KeyEvent.CHANGED, value("{\"host\":\"\",\"port\":0,\"bootId\":\"b\"}"))).isEmpty();
    assertThat(read(7, KeyEvent.CHANGED, value(valid.replace("\"protocolVersion\":" + FrameType.PROTOCOL_VERSION,
        "\"protocolVersion\":99")))).isEmpty();
    assertThat(read(8, KeyEvent.CHANGED, new RegistrationReader.Registration(null, 60_000, "holds a hash")))
        .isEmpty();

    assertThat(machine.followed()).isEmpty();
    assertThat(logs.messages(Level.WARN))
        .anySatisfy(message -> assertThat(message).contains("frpc:rpc:game:01", "canonical decimal"))
        .anySatisfy(message -> assertThat(message).contains("frpc:rpc:game:-1", "non-negative"))
        .anySatisfy(message -> assertThat(message).contains(key(5), "has no TTL"))
        .anySatisfy(message -> assertThat(message).contains(key(6), "is unusable: no host"))
        .anySatisfy(message -> assertThat(message).contains(key(7), "protocol version 99"))
        .anySatisfy(message -> assertThat(message).contains(key(8), "holds a hash"));
  }

  @Test
  void junkIsReportedAtMostTenLinesAMinuteEachKeyOnce() {
    for (int id = 100; id < 150; id++) {
      read(id, KeyEvent.CHANGED, value("junk"));
      read(id, KeyEvent.CHANGED, value("junk"));
    }
    assertThat(logs.messages(Level.WARN)).hasSize(10);

    advance(60_001);
    read(150, KeyEvent.CHANGED, value("junk"));
    assertThat(logs.messages(Level.WARN)).hasSize(11).last().asString()
        .contains("40 more ignored key(s) were not logged");
  }

  @Test
  void afterRedisReturnsAFullListingReadsEveryKeyAndLooksAgainAtKnownNodesItDidNotFind() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-1"));
    read(2, KeyEvent.CHANGED, registered(2, "boot-2"));

    // Redis came back without its data; game:1 registered again, game:3 started during the outage
    WatcherStateMachine.Listing listing = machine.listing(true);
    listing.begin("game");
    listing.found("game", key(1), now());
    listing.found("game", key(3), now());
    listing.end("game");
    assertThat(listing.toRead()).containsExactly(key(1), key(3));
    assertThat(read(1, KeyEvent.LISTED, registered(1, "boot-1"))).containsExactly(available(1));
    assertThat(read(3, KeyEvent.LISTED, registered(3, "boot-3"))).containsExactly(available(3));
    listing.completed(now());

    // game:2's key is looked at after a grace: gone, but its connection answers (it registers on its next refresh)
    advance(3_000);
    assertThat(overdue()).contains(new Read(key(2), KeyEvent.MISSING));
    List<Action> probe = read(2, KeyEvent.MISSING, GONE);
    assertThat(probe).containsExactly(new ProbeVanished(game(2), NodeDownReason.EXPIRED));
    assertThat(probed(probe, true)).isEmpty();
    assertThat(machine.followed()).containsExactlyInAnyOrder(game(1), game(2), game(3));
  }

  @Test
  void anIncompleteListingMarksNoKnownNodeMissing() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-1"));
    machine.refreshed(key(1), now());

    WatcherStateMachine.Listing listing = machine.listing(false);
    listing.begin("game");
    listing.end("game");
    // a master could not be listed: completed() is not called, and game:1 is not looked for

    for (int second = 0; second < 5; second++) {
      advance(1_000);
      machine.refreshed(key(1), now());
      assertThat(overdue()).isEmpty();
    }
  }

  @Test
  void anOverdueKeyThatCannotBeReadIsTriedAgainHalfASecondLater() {
    read(1, KeyEvent.CHANGED, registered(1, "boot-1"));
    advance(2_001);
    assertThat(overdue()).hasSize(1);

    machine.readFailed(key(1), KeyEvent.OVERDUE, now());

    assertThat(overdue()).isEmpty();
    advance(500);
    assertThat(overdue()).isEmpty();
    advance(1);
    assertThat(overdue()).containsExactly(new Read(key(1), KeyEvent.OVERDUE));
  }

  @Test
  void aRegistrationOfATlsListenerMetByAPlainCallerIsNamed() {
    String tls = CODEC.encode(game(1), new NodeRegistration("10.0.0.1", 9001, true, FrameType.PROTOCOL_VERSION,
        "boot-a")).value();

    read(1, KeyEvent.CHANGED, value(tls));

    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("game:1 registered a TLS listener", "set frpc.client.ssl.bundle");
  }

  private List<Action> read(int id, KeyEvent event, RegistrationReader.Registration registration) {
    return machine.read(key(id), event, registration, now());
  }

  private List<Action> probed(List<Action> probe, boolean alive) {
    assertThat(probe).singleElement().isInstanceOf(Probe.class);
    return machine.probed((Probe) probe.get(0), alive, now());
  }

  private List<Read> overdue() {
    return machine.overdue(now());
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }

  private long now() {
    return clock.nanoTime();
  }

  private static Map<String, KeyEvent> notifications(int... ids) {
    Map<String, KeyEvent> keys = new LinkedHashMap<>();
    for (int id : ids) {
      keys.put(key(id), KeyEvent.CHANGED);
    }
    return keys;
  }

  private static NodeId game(int id) {
    return new NodeId("game", id);
  }

  private static String key(int id) {
    return SETTINGS.key(game(id));
  }

  private static NodeAvailable available(int id) {
    return new NodeAvailable(game(id), "10.0.0." + id, 9000 + id);
  }

  /** What Redis holds for a node registered at 10.0.0.{id}:{9000 + id}, with a full TTL left. */
  private static RegistrationReader.Registration registered(int id, String bootId) {
    return registered(id, bootId, "10.0.0." + id, 9000 + id);
  }

  private static RegistrationReader.Registration registered(int id, String bootId, String host, int port) {
    return value(CODEC.encode(game(id), new NodeRegistration(host, port, false, FrameType.PROTOCOL_VERSION, bootId))
        .value());
  }

  private static RegistrationReader.Registration value(String value) {
    return new RegistrationReader.Registration(value, 2_000, null);
  }
}
