package io.frpc.skynet.interop;

import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.pubsub.FrpcPublisher;
import io.frpc.skynet.client.SkynetNodes;
import io.frpc.skynet.client.SkynetRemoteNode;
import io.frpc.skynet.server.SkynetServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The Java node of {@code frpc-skynet/interop/run.sh} (not a test of {@code ./mvnw verify}): an frpc node serving
 * module {@code interop_m} — the commands of the Lua node's {@code interop_m.lua}, two instances named "one" and
 * "two", aliases {@code .interop_1}/{@code .interop_2} — to skynet_fly callers on a {@link SkynetServer}, and
 * publishes what that module publishes every 200 ms (channel {@code interop_pub}, states {@code interop_syn},
 * {@code room:1:a}, {@code room:2:a}, {@code room:1:b}) for Lua subscribers. Prints {@code READY} once it
 * listens, then the lines of its own calls to the Lua node (Java → Lua, {@link InteropJavaCalls}) and
 * {@code JAVA-CALLS-DONE}, and serves until it is killed. With {@code --bench} it only runs the Java → Lua
 * benchmark and exits.
 *
 * <pre>
 * InteropJavaNode --svr-name java_s --svr-id 1 --port 27610 [--secret KEY] [--encrypt] [--security LABEL]
 *                 [--lua lua_s:1@127.0.0.1:27600]
 * InteropJavaNode --bench 10000,1024,5 --lua lua_s:1@127.0.0.1:27600
 * </pre>
 */
public final class InteropJavaNode {

  private InteropJavaNode() {
  }

  /** A record in, a record out: a Lua table with these keys. */
  public record Point(long x, long y) {
  }

  /** Several arguments of several types, summed up as one record. */
  public record Args(String s, long i, boolean b, double f, int n) {
  }

  /** What a broadcast call of {@code notes} returns from each instance. */
  public record Notes(String instance_name, Map<String, Integer> notes) {
  }

  /** Module {@code interop_m}: the same commands, with the same results, as the Lua node's interop_m.lua. */
  public static final class Interop {
    private final FrpcInstance instance;
    private final Map<String, Integer> notes = new ConcurrentHashMap<>();

    Interop(FrpcInstance instance) {
      this.instance = instance;
    }

    public JsonNode echo(JsonNode value) {
      return value;
    }

    public long add(long a, long b) {
      return a + b;
    }

    public String fail(String message) {
      throw new IllegalStateException(message);
    }

    /** Sleeps {@code cs} centiseconds, as skynet.sleep does. */
    public String sleep(int cs) throws InterruptedException {
      Thread.sleep(cs * 10L);
      return "slept " + cs;
    }

    public String big(int n) {
      return "x".repeat(n);
    }

    public String ping(String message) {
      return "pong " + message;
    }

    public Args args(String s, long i, boolean b, double f, List<JsonNode> list) {
      return new Args(s, i, b, f, list.size());
    }

    public Point move(Point p, long by) {
      return new Point(p.x() + by, p.y() + by);
    }

    public Map<String, Object> info() {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("svr_name", instance.node().name());
      info.put("svr_id", instance.node().id());
      info.put("instance_name", instance.instanceName());
      info.put("index", instance.index() + 1);
      return info;
    }

    /** A send leaves a note; {@link #notes} tells which instance got which. */
    public void note(String tag) {
      notes.merge(tag, 1, Integer::sum);
    }

    public Notes notes(String prefix) {
      Map<String, Integer> found = new TreeMap<>();
      notes.forEach((tag, n) -> {
        if (tag.startsWith(prefix)) {
          found.put(tag, n);
        }
      });
      return new Notes(instance.instanceName(), found);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String svrName = options.getOrDefault("svr-name", "java_s");
    int svrId = Integer.parseInt(options.getOrDefault("svr-id", "1"));
    String secret = options.get("secret");
    boolean encrypt = options.containsKey("encrypt");

    FrpcNode node = FrpcNode.builder(svrName, svrId).listen("127.0.0.1", 0)
        .handler(HandlerDefinition.of("interop_m", "one", 1, Interop::new))
        .handler(HandlerDefinition.of("interop_m", "two", 1, Interop::new))
        .build();
    node.start();
    SkynetServer server = null;
    if (options.containsKey("port")) {
      server = SkynetServer.builder(node).listen("127.0.0.1", Integer.parseInt(options.get("port")))
          .security(secret, encrypt).alias(".interop_1", "interop_m").alias(".interop_2", "interop_m").build();
      server.start();
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "interop-publisher");
      thread.setDaemon(true);
      return thread;
    });
    if (server != null) {
      // what the Lua node's interop_m publishes, every 200 ms
      AtomicLong tick = new AtomicLong();
      ticker.scheduleAtFixedRate(() -> {
        long i = tick.incrementAndGet();
        FrpcPublisher publisher = node.publisher();
        publisher.publish("interop_pub", Map.of("tick", i));
        publisher.publishState("interop_syn", Map.of("state", i));
        for (String room : List.of("room:1:a", "room:2:a", "room:1:b")) {
          publisher.publishState(room, Map.of("room", room, "n", i));
        }
      }, 200, 200, TimeUnit.MILLISECONDS);
    }
    SkynetServer started = server;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ticker.shutdownNow();
      if (started != null) {
        started.close();
      }
      node.close();
      stopped.countDown();
    }));
    System.out.println("READY " + svrName + ":" + svrId + (server != null ? " skynet port " + server.address() : ""));
    System.out.flush();

    if (options.containsKey("bench")) {
      // --bench count,size,runs --lua name:id@host:port: the Java -> Lua benchmark, then exit
      String[] bench = options.get("bench").split(",");
      SkynetRemoteNode lua = InteropJavaCalls.remote(options.get("lua"), secret, encrypt);
      try (SkynetNodes nodes = InteropJavaCalls.connect(svrName, svrId, lua)) {
        InteropJavaCalls.bench(nodes, lua, Integer.parseInt(bench[0]), Integer.parseInt(bench[1]),
            Integer.parseInt(bench[2]), System.out);
      }
      System.exit(0);
    }
    if (options.containsKey("lua")) {
      SkynetRemoteNode lua = InteropJavaCalls.remote(options.get("lua"), secret, encrypt);
      SkynetNodes nodes = InteropJavaCalls.connect(svrName, svrId, lua);
      Runtime.getRuntime().addShutdownHook(new Thread(nodes::close));
      InteropJavaCalls.runChecks(nodes, lua, options.getOrDefault("security", "?"), System.out);
      System.out.println("JAVA-CALLS-DONE");
      System.out.flush();
    }
    stopped.await();
  }

  /** {@code --name value} and {@code --flag} pairs. */
  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        options.put(name, args[++i]);
      } else {
        options.put(name, "");
      }
    }
    return options;
  }
}
