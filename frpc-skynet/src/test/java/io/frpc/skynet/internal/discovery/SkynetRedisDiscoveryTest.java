package io.frpc.skynet.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.frpc.test.redis.RedisServerExtension;
import io.frpc.test.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * skynet_fly's registrations in a real Redis: what the registrar writes (the value and expiry skynet_fly's
 * {@code rpc_redis.register} writes, captured in FACTS.md section 8), and what the watcher reports for keys written
 * as skynet_fly writes them.
 */
@ExtendWith(RedisServerExtension.class)
class SkynetRedisDiscoveryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final TestRedis redis;
  private final LettuceConnectionFactory connections;
  private final StringRedisTemplate template;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Events events = new Events();

  SkynetRedisDiscoveryTest(TestRedis redis) {
    this.redis = redis;
    redis.flushAll();
    redis.execute("CONFIG", "SET", "notify-keyspace-events", "KA");
    connections = new LettuceConnectionFactory(redis.host(), redis.port());
    connections.afterPropertiesSet();
    connections.start();
    template = new StringRedisTemplate(connections);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : started) {
      closeable.close();
    }
    scheduler.shutdownNow();
    connections.destroy();
  }

  private SkynetNodeRegistrar registrar(String svrName, long svrId, String address, SkynetSecurity security,
      Duration refresh) {
    SkynetNodeRegistrar registrar = new SkynetNodeRegistrar(template, svrName, svrId, address, security, scheduler,
        refresh);
    started.add(registrar);
    registrar.start();
    return registrar;
  }

  private SkynetNodeWatcher watcher(String... svrNames) {
    SkynetNodeWatcher watcher = new SkynetNodeWatcher(template, Set.of(svrNames), events);
    started.add(watcher);
    watcher.start();
    return watcher;
  }

  /** A write as skynet_fly's {@code rpc_redis.register} makes it. */
  private void skynetFlyRegisters(String svrName, long svrId, String value) {
    redis.execute("SET", "skynet_fly:rpc:" + svrName + ":" + svrId, value, "EX", "10");
  }

  private static SkynetNode node(String svrName, long svrId, String host, int port, SkynetSecurity security) {
    return new SkynetNode(svrName, svrId, host, port, security);
  }

  @Test
  void theRegistrarWritesSkynetFlysValueWithTheTenSecondExpiry() {
    registrar("java_s", 3, "127.0.0.1:19691", SkynetSecurity.NONE, SkynetNodeRegistrar.REFRESH_INTERVAL);

    await().atMost(WAIT).until(() -> redis.execute("GET", "skynet_fly:rpc:java_s:3") != null);
    assertThat(redis.execute("GET", "skynet_fly:rpc:java_s:3")).isEqualTo("127.0.0.1:19691_#_#");
    assertThat(Long.parseLong(redis.execute("TTL", "skynet_fly:rpc:java_s:3"))).isBetween(9L, 10L);
  }

  @Test
  void theRegistrarAnnouncesTheSecretKeyInClearAndTheEncryptionFlag() {
    registrar("java_s", 1, "127.0.0.1:9688", new SkynetSecurity("key", true), SkynetNodeRegistrar.REFRESH_INTERVAL);
    registrar("java_s", 2, "127.0.0.1:9689", new SkynetSecurity("key", false), SkynetNodeRegistrar.REFRESH_INTERVAL);
    registrar("java_s", 3, "127.0.0.1:9690", new SkynetSecurity(null, true), SkynetNodeRegistrar.REFRESH_INTERVAL);

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(redis.execute("GET", "skynet_fly:rpc:java_s:1")).isEqualTo("127.0.0.1:9688_key_1");
      assertThat(redis.execute("GET", "skynet_fly:rpc:java_s:2")).isEqualTo("127.0.0.1:9689_key_#");
      assertThat(redis.execute("GET", "skynet_fly:rpc:java_s:3")).isEqualTo("127.0.0.1:9690_#_1");
    });
  }

  @Test
  void theRegistrarRefreshesAndWhenClosedLeavesTheKeyToExpire() throws InterruptedException {
    redis.resetStats();
    SkynetNodeRegistrar registrar = registrar("java_s", 3, "127.0.0.1:19691", SkynetSecurity.NONE,
        Duration.ofMillis(50));
    await().atMost(WAIT).until(() -> redis.commandCalls().getOrDefault("set", 0L) >= 3);
    registrar.close();
    long sets = redis.commandCalls().getOrDefault("set", 0L);
    Thread.sleep(300);

    assertThat(redis.commandCalls().getOrDefault("set", 0L)).as("no write after close").isLessThanOrEqualTo(sets + 1);
    assertThat(redis.execute("GET", "skynet_fly:rpc:java_s:3")).as("not deleted: skynet_fly's watchers act on"
        + " expiry only").isEqualTo("127.0.0.1:19691_#_#");
    assertThat(Long.parseLong(redis.execute("TTL", "skynet_fly:rpc:java_s:3"))).isBetween(1L, 10L);
  }

  @Test
  void registrationsSkynetFlyCouldNotReadBackAreRefused() {
    assertThatThrownBy(() -> new SkynetNodeRegistrar(template, "s", 1, "h:1", new SkynetSecurity("a_b", false),
        scheduler)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'_'");
    assertThatThrownBy(() -> new SkynetNodeRegistrar(template, "s", 1, "h:1", new SkynetSecurity("#", false),
        scheduler)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"#\"");
    assertThatThrownBy(() -> new SkynetNodeRegistrar(template, "s", 1, "my_host:1", SkynetSecurity.NONE,
        scheduler)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without '_'");
    assertThatThrownBy(() -> new SkynetNodeRegistrar(template, "s*", 1, "h:1", SkynetSecurity.NONE, scheduler))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNodeRegisteredBeforeTheWatcherStartsIsReportedByTheFirstScan() {
    skynetFlyRegisters("interop_s", 4, "127.0.0.1:19691_#_#");
    watcher("interop_s");

    assertThat(events.list).containsExactly(Event.up(node("interop_s", 4, "127.0.0.1", 19691, SkynetSecurity.NONE)));
  }

  @Test
  void aNodeThatRegistersIsReportedUpWithItsAddressAndSecurity() {
    watcher("interop_s");
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_key_1");

    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(
        Event.up(node("interop_s", 3, "127.0.0.1", 9688, new SkynetSecurity("key", true)))));
  }

  @Test
  void aRefreshWithTheSameValueReportsNothingNew() {
    watcher("interop_s");
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_#_#");
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_#_#");
    skynetFlyRegisters("interop_s", 9, "127.0.0.1:9999_#_#");

    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(
        Event.up(node("interop_s", 3, "127.0.0.1", 9688, SkynetSecurity.NONE)),
        Event.up(node("interop_s", 9, "127.0.0.1", 9999, SkynetSecurity.NONE))));
  }

  @Test
  void aChangedRegistrationIsReportedDownThenUp() {
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_#_#");
    watcher("interop_s");
    skynetFlyRegisters("interop_s", 3, "127.0.0.2:9688_k_1");

    SkynetNode before = node("interop_s", 3, "127.0.0.1", 9688, SkynetSecurity.NONE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(Event.up(before),
        Event.down(before), Event.up(node("interop_s", 3, "127.0.0.2", 9688, new SkynetSecurity("k", true)))));
  }

  @Test
  void anExpiredRegistrationIsReportedDown() {
    watcher("interop_s");
    redis.execute("SET", "skynet_fly:rpc:interop_s:3", "127.0.0.1:9688_#_#", "PX", "300");

    SkynetNode node = node("interop_s", 3, "127.0.0.1", 9688, SkynetSecurity.NONE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(Event.up(node),
        Event.down(node)));
  }

  @Test
  void aDeletedRegistrationIsReportedDown() {
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_#_#");
    watcher("interop_s");
    redis.execute("DEL", "skynet_fly:rpc:interop_s:3");

    SkynetNode node = node("interop_s", 3, "127.0.0.1", 9688, SkynetSecurity.NONE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(Event.up(node),
        Event.down(node)));
  }

  @Test
  void aValueThatIsNotARegistrationIsNoNode() {
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_#_#");
    watcher("interop_s");
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688");
    skynetFlyRegisters("interop_s", 4, "no port_#_#");
    skynetFlyRegisters("interop_s", 5, "127.0.0.1:70000_#_#");
    skynetFlyRegisters("interop_s", 9, "127.0.0.1:9999_#_#");

    SkynetNode node = node("interop_s", 3, "127.0.0.1", 9688, SkynetSecurity.NONE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(Event.up(node),
        Event.down(node), Event.up(node("interop_s", 9, "127.0.0.1", 9999, SkynetSecurity.NONE))));
  }

  @Test
  void otherNamesAndKeysThatAreNotRegistrationsAreIgnored() {
    watcher("interop_s");
    skynetFlyRegisters("other_s", 1, "127.0.0.1:1_#_#");
    redis.execute("SET", "skynet_fly:rpc:interop_s:x", "127.0.0.1:1_#_#");
    redis.execute("SET", "skynet_fly:rpc:interop_s_2:1", "127.0.0.1:1_#_#");
    skynetFlyRegisters("interop_s", 9, "127.0.0.1:9999_#_#");

    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(
        Event.up(node("interop_s", 9, "127.0.0.1", 9999, SkynetSecurity.NONE))));
  }

  @Test
  void aJavaNodesRegistrationIsSeenByTheWatcher() {
    watcher("java_s");
    registrar("java_s", 7, "10.0.0.5:7000", new SkynetSecurity("s3cr3t", true), SkynetNodeRegistrar.REFRESH_INTERVAL);

    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(
        Event.up(node("java_s", 7, "10.0.0.5", 7000, new SkynetSecurity("s3cr3t", true)))));
  }

  @Test
  void afterRedisRestartsEmptyTheWatcherReportsTheNodesThatAreGone() {
    skynetFlyRegisters("interop_s", 3, "127.0.0.1:9688_#_#");
    watcher("interop_s");
    redis.stop();
    redis.start();

    SkynetNode node = node("interop_s", 3, "127.0.0.1", 9688, SkynetSecurity.NONE);
    await().atMost(WAIT).untilAsserted(() -> assertThat(events.list).containsExactly(Event.up(node),
        Event.down(node)));
  }

  /** One report. */
  record Event(boolean up, SkynetNode node) {

    static Event up(SkynetNode node) {
      return new Event(true, node);
    }

    static Event down(SkynetNode node) {
      return new Event(false, node);
    }
  }

  /** The reports in order. */
  static final class Events implements RegisteredNodeListener {

    final List<Event> list = new CopyOnWriteArrayList<>();

    @Override
    public void nodeUp(SkynetNode node) {
      list.add(Event.up(node));
    }

    @Override
    public void nodeDown(SkynetNode node) {
      list.add(Event.down(node));
    }
  }
}
