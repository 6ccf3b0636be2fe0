package io.frpc.bench.scale;

import io.frpc.NodeId;
import io.frpc.bench.Await;
import io.frpc.discovery.redis.RedisDiscoverySettings;
import io.frpc.discovery.redis.RedisNodeDiscovery;
import io.frpc.time.SystemClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Part one of the scale benchmark: {@code watchers} real Redis discovery watchers (frpc's own, each with its own
 * connections and thread, as in a separate process) while {@code registrations} simulated nodes register and
 * refresh every second with frpc's own registrar.
 */
final class DiscoveryScale {

  static final Duration TTL = Duration.ofSeconds(2);
  private static final int LATE_NODES = 100;
  private static final int FROZEN_NODES = 20;
  /** Watcher side: the watcher threads and the Lettuce threads of their connections (the load's are load-*). */
  private static final Predicate<String> WATCHER_THREADS = name -> name.startsWith("frpc-redis-")
      || name.startsWith("lettuce-");

  /** Costs over one window. */
  record Window(double seconds, double cpuPercentPerWatcher, double processCpuPercent, double notificationsPerSecond,
      double changesPerSecond, double redisCommandsPerSecond, double redisCpuPercent) {
  }

  /** Costs over one window with each watcher in a process of its own. */
  record ProcessWindow(double seconds, double meanCpuPercent, double maxCpuPercent, double redisCommandsPerSecond,
      double redisCpuPercent) {
  }

  /** The watcher processes: idle, steady, and how long the machine took to calm down after the burst. */
  record ProcessPhase(ProcessWindow idle, ProcessWindow steady, double settleSeconds) {
  }

  /** Everything part one measured. */
  record Result(int registrations, int watchers, ProcessPhase processes,
      Window idle, Window steady, Histogram burstUp,
      Histogram burstFromWrite, double burstSeconds, Histogram upAtLoad, Histogram upAtLoadFromWrite,
      Histogram frozenLeave) {
  }

  private DiscoveryScale() {
  }

  static Result run(int redisPort, int registrations, int watcherCount, int measuredSeconds) throws Exception {
    ProcessPhase processes = inProcesses(redisPort, registrations, watcherCount, measuredSeconds);
    RedisDiscoverySettings settings = new RedisDiscoverySettings("scale", TTL, Duration.ofSeconds(1),
        Duration.ofSeconds(60), List.of("game"), true, 0, Integer.MAX_VALUE, false);
    LettuceConnectionFactory application = new LettuceConnectionFactory(
        new RedisStandaloneConfiguration("127.0.0.1", redisPort));
    application.afterPropertiesSet();
    List<RecordingContext> views = new ArrayList<>();
    List<RedisNodeDiscovery> watchers = new ArrayList<>();
    try (SystemClock clock = new SystemClock("scale");
        SimulatedRegistrations load = new SimulatedRegistrations(redisPort, settings);
        RedisStats redis = new RedisStats(redisPort, load.resources(), "__keyspace@0__:scale:rpc:game:*")) {
      for (int i = 1; i <= watcherCount; i++) {
        RecordingContext view = new RecordingContext(i, clock);
        RedisNodeDiscovery watcher = RedisNodeDiscovery.builder(application).settings(settings).build();
        watcher.start(view);
        views.add(view);
        watchers.add(watcher);
      }
      Await.until(() -> watchers.stream().allMatch(w -> w.health().healthy()), Duration.ofSeconds(30),
          "watchers subscribed");
      progress("%d watchers subscribed; idle window", watcherCount);
      Window idle = measure(redis, 10, watcherCount);

      long burstStart = System.nanoTime();
      for (int id = 1; id <= registrations; id++) {
        load.register(new NodeId("game", id), false);
      }
      Await.until(() -> views.stream().allMatch(view -> view.upCount() >= registrations), Duration.ofSeconds(120),
          "every watcher sees " + registrations + " nodes");
      double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
      Histogram burstUp = latencies(views, id -> load.startNanos(id), 1, registrations);
      Histogram burstFromWrite = latencies(views, id -> redis.writtenNanos(settings.key(id)), 1, registrations);
      progress("%d registrations seen by every watcher in %.2f s; settling", registrations, burstSeconds);
      TimeUnit.SECONDS.sleep(5);
      progress("steady window, %d s", measuredSeconds);
      Window steady = measure(redis, measuredSeconds, watcherCount);

      progress("%d more nodes register, one every 50 ms", LATE_NODES);
      for (int k = 1; k <= LATE_NODES; k++) {
        load.register(new NodeId("game", registrations + k), k <= FROZEN_NODES);
        TimeUnit.MILLISECONDS.sleep(50);
      }
      int total = registrations + LATE_NODES;
      Await.until(() -> views.stream().allMatch(view -> view.upCount() >= total), Duration.ofSeconds(60),
          "every watcher sees the late nodes");
      Histogram upAtLoad = latencies(views, id -> load.startNanos(id), registrations + 1, total);
      Histogram upAtLoadFromWrite = latencies(views, id -> redis.writtenNanos(settings.key(id)), registrations + 1,
          total);

      TimeUnit.SECONDS.sleep(3);
      progress("freezing %d nodes", FROZEN_NODES);
      long froze = System.nanoTime();
      for (int k = 1; k <= FROZEN_NODES; k++) {
        load.freeze(new NodeId("game", registrations + k));
      }
      Await.until(() -> views.stream().allMatch(view -> frozen(registrations).stream()
          .allMatch(id -> view.downNanos(id) != null)), Duration.ofSeconds(30), "every watcher drops the frozen nodes");
      Histogram frozenLeave = new Histogram(3);
      for (RecordingContext view : views) {
        for (NodeId id : frozen(registrations)) {
          frozenLeave.recordValue(TimeUnit.NANOSECONDS.toMicros(view.downNanos(id) - froze));
        }
      }
      return new Result(registrations, watcherCount, processes, idle, steady, burstUp, burstFromWrite, burstSeconds,
          upAtLoad, upAtLoadFromWrite, frozenLeave);
    } finally {
      watchers.forEach(RedisNodeDiscovery::close);
      application.destroy();
    }
  }

  /**
   * The costs with each watcher in a JVM of its own ({@link WatcherProcess}): idle, then with every registration
   * renewing. The load and Redis are those of the rest of the benchmark, under another key prefix.
   */
  private static ProcessPhase inProcesses(int redisPort, int registrations, int watcherCount, int measuredSeconds)
      throws Exception {
    String prefix = "scale-processes";
    RedisDiscoverySettings settings = new RedisDiscoverySettings(prefix, TTL, Duration.ofSeconds(1),
        Duration.ofSeconds(60), List.of("game"), true, 0, Integer.MAX_VALUE, false);
    try (SystemClock clock = new SystemClock("scale");
        SimulatedRegistrations load = new SimulatedRegistrations(redisPort, settings);
        RedisStats redis = new RedisStats(redisPort, load.resources(), "__keyspace@0__:" + prefix + ":rpc:game:*");
        WatcherProcesses watchers = new WatcherProcesses(watcherCount, redisPort, prefix)) {
      progress("%d watcher processes subscribed; idle window", watcherCount);
      TimeUnit.SECONDS.sleep(5);
      ProcessWindow idle = measure(watchers, redis, 10);
      long burst = System.nanoTime();
      for (int id = 1; id <= registrations; id++) {
        load.register(new NodeId("game", id), false);
      }
      Await.until(() -> redis.changes() >= registrations, Duration.ofSeconds(60), "every registration written");
      // Ten cold JVMs and the load generator share the cores: until they are warm, renewals run late, keys
      // expire and are claimed again. Measure once a whole 5 s passes without such a change.
      long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (long changes = -1; changes != 0 && System.nanoTime() < settleDeadline; ) {
        long before = redis.changes();
        TimeUnit.SECONDS.sleep(5);
        changes = redis.changes() - before;
        progress("settling: %d registrations changed in 5 s", changes);
      }
      double settleSeconds = (System.nanoTime() - burst) / 1e9 - 5;
      progress("steady window with watcher processes, %d s", measuredSeconds);
      ProcessWindow steady = measure(watchers, redis, measuredSeconds);
      return new ProcessPhase(idle, steady, settleSeconds);
    }
  }

  private static ProcessWindow measure(WatcherProcesses watchers, RedisStats redis, int seconds)
      throws InterruptedException {
    long[] cpuBefore = watchers.cpuNanos();
    RedisStats.Snapshot before = redis.snapshot();
    TimeUnit.SECONDS.sleep(seconds);
    RedisStats.Snapshot after = redis.snapshot();
    long[] cpuAfter = watchers.cpuNanos();
    double wall = (after.nanos() - before.nanos()) / 1e9;
    double sum = 0;
    double max = 0;
    for (int i = 0; i < cpuAfter.length; i++) {
      double percent = 100 * (cpuAfter[i] - cpuBefore[i]) / 1e9 / wall;
      sum += percent;
      max = Math.max(max, percent);
    }
    return new ProcessWindow(wall, sum / cpuAfter.length, max, (after.commands() - before.commands()) / wall,
        100 * (after.redisCpuSeconds() - before.redisCpuSeconds()) / wall);
  }

  private static List<NodeId> frozen(int registrations) {
    List<NodeId> ids = new ArrayList<>();
    for (int k = 1; k <= FROZEN_NODES; k++) {
      ids.add(new NodeId("game", registrations + k));
    }
    return ids;
  }

  /** From {@code since} to each watcher's first report, for nodes {@code from..to}. */
  private static Histogram latencies(List<RecordingContext> views, Function<NodeId, Long> since, int from, int to) {
    Histogram histogram = new Histogram(3);
    for (RecordingContext view : views) {
      for (int id = from; id <= to; id++) {
        NodeId node = new NodeId("game", id);
        histogram.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(view.upNanos(node) - since.apply(node))));
      }
    }
    return histogram;
  }

  private static Window measure(RedisStats redis, int seconds, int watchers) throws InterruptedException {
    long watcherCpu = ThreadCpu.of(WATCHER_THREADS);
    long processCpu = ThreadCpu.process();
    RedisStats.Snapshot before = redis.snapshot();
    TimeUnit.SECONDS.sleep(seconds);
    RedisStats.Snapshot after = redis.snapshot();
    double wall = (after.nanos() - before.nanos()) / 1e9;
    double watcherSeconds = (ThreadCpu.of(WATCHER_THREADS) - watcherCpu) / 1e9;
    double processSeconds = (ThreadCpu.process() - processCpu) / 1e9;
    return new Window(wall, 100 * watcherSeconds / watchers / wall, 100 * processSeconds / wall,
        (after.notifications() - before.notifications()) / wall, (after.changes() - before.changes()) / wall,
        (after.commands() - before.commands()) / wall,
        100 * (after.redisCpuSeconds() - before.redisCpuSeconds()) / wall);
  }

  static void progress(String format, Object... args) {
    System.err.printf("  " + format + "%n", args);
  }
}
