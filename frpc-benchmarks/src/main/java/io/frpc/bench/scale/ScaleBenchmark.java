package io.frpc.bench.scale;

import ch.qos.logback.classic.Level;
import io.frpc.test.redis.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How frpc's Redis discovery and fan-out cost grow with the number of nodes, on a real redis-server:
 * {@code ScaleBenchmark <report-file> [registrations] [watchers] [measured s] [nodes]}, by default 1,000
 * simulated registrations, 10 watchers, a 30 s window and one caller with 50 frpc nodes.
 */
public final class ScaleBenchmark {

  private ScaleBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: ScaleBenchmark <report-file> [registrations] [watchers] "
          + "[measured s] [nodes]");
    }
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    int registrations = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int watchers = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int measured = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int nodes = args.length > 4 ? Integer.parseInt(args[4]) : 50;
    DiscoveryScale.Result discovery;
    FanOutScale.Result fanOut;
    try (TestRedis redis = TestRedis.startEmbedded(TestRedis.Options.defaults())) {
      System.err.println("Redis on port " + redis.port() + "; part 1: " + registrations + " registrations, "
          + watchers + " watchers");
      discovery = DiscoveryScale.run(redis.port(), registrations, watchers, measured);
    }
    try (TestRedis redis = TestRedis.startEmbedded(TestRedis.Options.defaults())) {
      System.err.println("Redis on port " + redis.port() + "; part 2: one caller, " + nodes + " nodes");
      fanOut = FanOutScale.run(redis.port(), nodes);
    }
    String report = render(discovery, fanOut);
    System.out.println(report);
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, report);
    System.err.println("Report written to " + file);
  }

  private static String render(DiscoveryScale.Result d, FanOutScale.Result f) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "### Redis discovery: %,d registered nodes refreshing every second, %d "
        + "watchers%n%n", d.registrations(), d.watchers()));
    out.append(String.format(Locale.ROOT, "Each watcher in a JVM of its own (%s):%n%n",
        String.join(" ", WatcherProcesses.JVM_FLAGS)));
    out.append("| window | watcher process CPU, mean of " + d.watchers() + " (max), % of a core | Redis commands/s "
        + "| Redis CPU (% of a core) |\n|---|---|---|---|\n");
    processRow(out, "idle (no registrations)", d.processes().idle());
    processRow(out, "steady (" + d.registrations() + " refreshing)", d.processes().steady());
    out.append(String.format(Locale.ROOT, "%nAfter the %,d registrations, renewals ran late (keys expired and were "
        + "claimed again) until %.0f s later, while the cold watcher JVMs and the load generator shared the cores; "
        + "the steady window starts after that.%n", d.registrations(), d.processes().settleSeconds()));
    out.append(String.format(Locale.ROOT, "%nAll watchers in this JVM, their threads' CPU (latencies below are "
        + "measured here):%n%n"));
    out.append("| window | watcher CPU (each, % of a core) | JVM CPU (all, % of a core) | notifications/s to each watcher"
        + " | of which changes/s | Redis commands/s | Redis CPU (% of a core) |\n|---|---|---|---|---|---|---|\n");
    row(out, "idle (no registrations)", d.idle());
    row(out, "steady (" + d.registrations() + " refreshing)", d.steady());
    out.append(String.format(Locale.ROOT, "%n| | p50 | p99 | max | samples |%n|---|---|---|---|---|%n"));
    latency(out, "registration started → every watcher's view, " + d.registrations() + " at once (all in "
        + String.format(Locale.ROOT, "%.2f s", d.burstSeconds()) + ")", d.burstUp());
    latency(out, "key written (its set notification heard) → every watcher's view, the same burst",
        d.burstFromWrite());
    latency(out, "registration started → watcher's view, at load (one every 50 ms)", d.upAtLoad());
    latency(out, "key written → watcher's view, at load", d.upAtLoadFromWrite());
    latency(out, "frozen node → gone from a watcher's view (TTL " + DiscoveryScale.TTL.toSeconds() + " s)",
        d.frozenLeave());
    out.append(String.format(Locale.ROOT, "%n### One caller, %d frpc nodes (Redis discovery, real TCP)%n%n",
        f.nodes()));
    out.append(String.format(Locale.ROOT, "- caller start → first node connected: %.0f ms; → all %d connected: "
        + "%.0f ms%n", f.firstUpMillis(), f.nodes(), f.allUpMillis()));
    out.append(String.format(Locale.ROOT, "- `allNodes().call` to %d nodes, one at a time: p50 %.0f µs, p99 %.0f µs, "
        + "p99.9 %.0f µs over %,d calls; replies missing a node: %d%n", f.nodes(), micros(f.fanOut(), 50),
        micros(f.fanOut(), 99), micros(f.fanOut(), 99.9), f.fanOut().getTotalCount(), f.incompleteReplies()));
    out.append(String.format(Locale.ROOT, "- 10 nodes shut down one after the other: each gone from the caller's view "
        + "at most %.0f ms after its shutdown began; events %s%n", f.slowestDownMillis(), f.downReasons()));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, DiscoveryScale.Window w) {
    out.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %,.0f | %,.1f | %,.0f | %.1f |%n", name,
        w.cpuPercentPerWatcher(), w.processCpuPercent(), w.notificationsPerSecond(), w.changesPerSecond(),
        w.redisCommandsPerSecond(), w.redisCpuPercent()));
  }

  private static void processRow(StringBuilder out, String name, DiscoveryScale.ProcessWindow w) {
    out.append(String.format(Locale.ROOT, "| %s | %.2f (%.2f) | %,.0f | %.1f |%n", name, w.meanCpuPercent(),
        w.maxCpuPercent(), w.redisCommandsPerSecond(), w.redisCpuPercent()));
  }

  private static void latency(StringBuilder out, String name, Histogram h) {
    out.append(String.format(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %,d |%n", name,
        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount()));
  }

  private static double micros(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile);
  }
}
