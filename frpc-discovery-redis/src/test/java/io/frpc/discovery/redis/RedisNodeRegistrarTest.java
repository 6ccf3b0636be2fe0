package io.frpc.discovery.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.frpc.NodeId;
import io.frpc.discovery.RegistrationSignatures;
import io.frpc.discovery.redis.RedisNodeDiscovery.RegistrationState;
import io.frpc.internal.protocol.FrameType;
import io.frpc.internal.security.SharedSecrets;
import io.frpc.testing.CapturedLogs;
import io.frpc.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registrar's decisions and pace, on a {@link ManualClock} and an in-memory store that stands for Redis's five
 * commands: what it writes when, what it does with a value someone else wrote, and what it logs. TTL 2 s, refresh
 * 1 s (grace 3 s).
 */
class RedisNodeRegistrarTest {

  private static final RedisDiscoverySettings SETTINGS = new RedisDiscoverySettings("frpc", Duration.ofSeconds(2),
      Duration.ofSeconds(1), Duration.ofSeconds(60), List.of(), true, 0, 1024, true);
  private static final NodeId GAME_1 = new NodeId("game", 1);
  private static final String KEY = SETTINGS.key(GAME_1);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final RegistrationCodec UNSIGNED = new RegistrationCodec(JSON, RegistrationSignatures.NONE);
  // stretching a secret takes a fraction of a second: once for the class
  private static final RegistrationCodec SIGNED = new RegistrationCodec(JSON,
      new SharedSecrets("the-secret-of-this-cluster", List.of(), Map.of()));

  private final ManualClock clock = new ManualClock();
  private final InMemoryRegistrationStore redis = new InMemoryRegistrationStore(clock);
  private final CapturedLogs logs = CapturedLogs.of("io.frpc.discovery.redis");

  /** Class loading, the secret's stretching and a first JSON round trip, so that each test's time is its own. */
  @BeforeAll
  static void warmUp() {
    SIGNED.decode(GAME_1, SIGNED.encode(GAME_1, registration("boot-warm-up", 0)).value());
    assertThat(List.of("AssertJ loads its classes once")).singleElement().asString().contains("once");
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
  }

  @Test
  void aNodeRegistersAtOnceAndThenRenewsOncePerRefreshIntervalWithoutRewritingItsValue() {
    RedisNodeRegistrar registrar = registrar("boot-ours", 1_000, UNSIGNED);

    registrar.start();
    assertThat(registrar.state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(redis.value(KEY)).isEqualTo(UNSIGNED.encode(GAME_1, registration("boot-ours", 1_000)).value());

    advance(30_000);
    assertThat(redis.commands()).as("one claim, then one renewal a second")
        .isEqualTo(Map.of("claim", 1, "renew", 30));
    assertThat(registrar.state()).isEqualTo(RegistrationState.REGISTERED);
  }

  @Test
  void aVanishedKeyIsClaimedAgainOnTheNextRefresh() {
    RedisNodeRegistrar registrar = started("boot-ours", 1_000, UNSIGNED);

    redis.flush();
    advance(1_000);

    assertThat(redis.value(KEY)).contains("boot-ours");
    assertThat(registrar.state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(logs.messages(Level.INFO)).anySatisfy(message -> assertThat(message)
        .contains("Registration " + KEY + " vanished from Redis", "registering again"));
  }

  @Test
  void aProcessThatStartedLaterWaitsAGraceThenReportsTheConflictOnceAMinute() {
    RedisNodeRegistrar first = started("boot-first", 1_000, UNSIGNED);
    RedisNodeRegistrar later = started("boot-later", 2_000, UNSIGNED);

    assertThat(later.state()).isEqualTo(RegistrationState.CONFLICT);
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("Key " + KEY + " is held by another process (boot id boot-first", "waiting up to 3000 ms");
    advance(3_000);
    assertThat(logs.messages(Level.ERROR)).as("within the grace").isEmpty();
    advance(1_000);
    assertThat(logs.messages(Level.ERROR)).singleElement().asString()
        .contains("Two live processes claim node game:1", "boot id boot-first", "(boot id boot-later)");

    advance(66_000);
    assertThat(logs.messages(Level.ERROR)).as("one a minute").hasSize(2);
    assertThat(redis.value(KEY)).contains("boot-first");
    assertThat(first.state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(later.state()).isEqualTo(RegistrationState.CONFLICT);
  }

  @Test
  void theProcessThatStartedFirstTakesItsKeyBackFromALaterOneAndTheLaterOneStopsRenewing() {
    RedisNodeRegistrar later = started("boot-later", 2_000, UNSIGNED);
    // the key was lost (a FLUSHALL, a failover) and the later process claimed it first
    RedisNodeRegistrar first = started("boot-first", 1_000, UNSIGNED);

    assertThat(first.state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(redis.value(KEY)).contains("boot-first");
    assertThat(logs.messages(Level.ERROR)).singleElement().asString()
        .contains("boot id boot-later", "started first and keeps the identity: it took the key back");

    advance(1_000);
    assertThat(later.state()).isEqualTo(RegistrationState.CONFLICT);
    assertThat(logs.messages(Level.ERROR)).hasSize(2).last().asString()
        .contains("was overwritten by boot id boot-first", "(boot id boot-later)", "is NOT registered");

    advance(30_000);
    assertThat(redis.value(KEY)).contains("boot-first");
    assertThat(first.state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(later.state()).isEqualTo(RegistrationState.CONFLICT);
  }

  @Test
  void withASecretAnUnsignedValueIsTakenBackAtOnceAndWarnedAboutOnceAMinute() {
    RedisNodeRegistrar registrar = started("boot-ours", 1_000, SIGNED);
    String ours = redis.value(KEY);

    for (int i = 0; i < 5; i++) {
      redis.set(KEY, UNSIGNED.encode(GAME_1, registration("intruder", 0)).value(), Duration.ofMinutes(10));
      advance(1_000);
      assertThat(redis.value(KEY)).as("taken back within one refresh").isEqualTo(ours);
    }
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("Key " + KEY + " held a foreign value that is not signed with the shared secret", "took it back");

    advance(60_000);
    redis.set(KEY, "not even json", Duration.ofMinutes(10));
    advance(1_000);
    assertThat(logs.messages(Level.WARN)).hasSize(2).last().asString()
        .contains("(taken back 4 more time(s) since the last warning)");
    assertThat(registrar.state()).isEqualTo(RegistrationState.REGISTERED);
  }

  @Test
  void withoutASecretAValueThatIsNotARegistrationIsLeftToExpire() {
    RedisNodeRegistrar registrar = started("boot-ours", 1_000, UNSIGNED);

    redis.set(KEY, "not a registration", Duration.ofMillis(2_500));
    advance(1_000);
    assertThat(registrar.state()).isEqualTo(RegistrationState.CONFLICT);
    assertThat(redis.value(KEY)).isEqualTo("not a registration");

    advance(2_000);
    assertThat(redis.value(KEY)).contains("boot-ours");
    assertThat(registrar.state()).isEqualTo(RegistrationState.REGISTERED);
  }

  @Test
  void whileRedisIsUnreachableTheStateSaysSoWithOneWarningAndTheKeyIsClaimedWhenItReturns() {
    RedisNodeRegistrar registrar = started("boot-ours", 1_000, UNSIGNED);

    redis.reachable(false);
    advance(5_000);
    assertThat(registrar.state()).isEqualTo(RegistrationState.REDIS_UNAVAILABLE);
    assertThat(logs.messages(Level.WARN)).singleElement().asString()
        .contains("Redis unavailable, cannot refresh registration " + KEY);

    // back, without its data
    redis.flush();
    redis.reachable(true);
    advance(1_000);
    assertThat(registrar.state()).isEqualTo(RegistrationState.REGISTERED);
    assertThat(redis.value(KEY)).contains("boot-ours");
  }

  @Test
  void closingDeletesTheKeyAndStopsRefreshing() {
    RedisNodeRegistrar registrar = started("boot-ours", 1_000, UNSIGNED);

    registrar.close();

    assertThat(redis.value(KEY)).isNull();
    assertThat(registrar.state()).isEqualTo(RegistrationState.STOPPED);
    Map<String, Integer> sent = redis.commands();
    advance(10_000);
    assertThat(redis.commands()).isEqualTo(sent);
  }

  @Test
  void closingLeavesAnotherProcesssValueAlone() {
    RedisNodeRegistrar registrar = started("boot-ours", 1_000, UNSIGNED);
    redis.set(KEY, UNSIGNED.encode(GAME_1, registration("boot-other", 500)).value(), Duration.ofSeconds(2));

    registrar.close();

    assertThat(redis.value(KEY)).contains("boot-other");
  }

  private RedisNodeRegistrar started(String bootId, long startedAt, RegistrationCodec codec) {
    RedisNodeRegistrar registrar = registrar(bootId, startedAt, codec);
    registrar.start();
    return registrar;
  }

  /** A registrar whose refreshes run on the thread that moves the clock. */
  private RedisNodeRegistrar registrar(String bootId, long startedAt, RegistrationCodec codec) {
    return new RedisNodeRegistrar(GAME_1, registration(bootId, startedAt), SETTINGS, redis, codec, clock,
        Runnable::run);
  }

  private static NodeRegistration registration(String bootId, long startedAt) {
    return new NodeRegistration("10.0.0.1", 9001, false, FrameType.PROTOCOL_VERSION, bootId, startedAt);
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }
}
