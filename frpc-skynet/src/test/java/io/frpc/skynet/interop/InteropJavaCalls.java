package io.frpc.skynet.interop;

import io.frpc.AllNodesReply;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.client.SkynetAliasCall;
import io.frpc.skynet.client.SkynetChannels;
import io.frpc.skynet.client.SkynetModuleCall;
import io.frpc.skynet.client.SkynetNodes;
import io.frpc.skynet.client.SkynetRemoteNode;
import io.frpc.skynet.client.SkynetTemplate;
import io.frpc.skynet.interop.InteropJavaNode.Args;
import io.frpc.skynet.interop.InteropJavaNode.Point;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Java → Lua half of the interop run: {@link SkynetTemplate} calls the Lua node's {@code interop_m} in every mode
 * (one node by id, round-robin over the nodes of the name, all nodes) and every pack id, subscribes to what it
 * publishes ({@link SkynetNodes#channels}), and prints one line per check in run.sh's format; and the Java → Lua
 * benchmark.
 */
final class InteropJavaCalls {

  private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

  private final SkynetTemplate skynet;
  private final String security;
  private final String svrName;
  private final int svrId;
  private final PrintStream out;
  private String mode;

  private InteropJavaCalls(SkynetTemplate skynet, String security, String svrName, int svrId, PrintStream out) {
    this.skynet = skynet;
    this.security = security;
    this.svrName = svrName;
    this.svrId = svrId;
    this.out = out;
  }

  /** {@code name:id@host:port} */
  static SkynetRemoteNode remote(String spec, String secret, boolean encrypt) {
    int at = spec.indexOf('@');
    String[] nameId = spec.substring(0, at).split(":");
    SkynetRemoteNode node = SkynetRemoteNode.of(nameId[0], Integer.parseInt(nameId[1]), spec.substring(at + 1));
    if (secret != null) {
      node = node.withSecretKey(secret);
    }
    return encrypt ? node.withEncryption() : node;
  }

  static SkynetNodes connect(String selfName, int selfId, SkynetRemoteNode lua) {
    SkynetNodes nodes = SkynetNodes.builder(selfName, selfId).node(lua).connectWait(Duration.ofSeconds(20)).build();
    nodes.start();
    return nodes;
  }

  /** Every check, in every mode. */
  static void runChecks(SkynetNodes nodes, SkynetRemoteNode lua, String security, PrintStream out) {
    InteropJavaCalls calls = new InteropJavaCalls(nodes.template(), security, lua.svrName(), lua.svrId(), out);
    calls.mode = "-";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!nodes.isActive(lua.svrName(), lua.svrId()) && System.nanoTime() < deadline) {
      sleep(100);
    }
    boolean active = nodes.isActive(lua.svrName(), lua.svrId());
    calls.line(active, "connected + handshake", lua.svrName() + ":" + lua.svrId());
    if (active) {
      for (String mode : List.of("byid", "one", "all")) {
        calls.mode = mode;
        try {
          calls.runMode();
        } catch (RuntimeException e) {
          calls.line(false, "checks ran to the end", e.toString());
        }
      }
    }
    calls.mode = "-";
    if (lua.secretKey() != null) {
      // the same Lua node with a wrong secret_key: the handshake must fail
      SkynetRemoteNode wrong = new SkynetRemoteNode(lua.svrName(), lua.svrId(), lua.host(), lua.port(),
          "wrong-" + lua.secretKey(), lua.encrypt());
      try (SkynetNodes refused = SkynetNodes.builder("java_bad", 1).node(wrong).build()) {
        refused.start();
        sleep(5000);
        boolean connected = refused.isActive(lua.svrName(), lua.svrId());
        calls.line(!connected, "wrong secret_key refused", connected ? "connected!" : "not connected within 5 s");
      }
    }
    if (active) {
      calls.runWatch(nodes, lua);
    }
  }

  /**
   * Pub/sub and state sync: the Lua node's interop_m publishes every 200 ms ({@code interop_pub} {tick = i},
   * {@code interop_syn} {state = i}, {@code room:1:a}, {@code room:2:a}, {@code room:1:b} {room = channel, n = i}).
   */
  private void runWatch(SkynetNodes nodes, SkynetRemoteNode remote) {
    if (remote.secretKey() != null && !remote.encrypt()) {
      skip("pub/sub and state sync", "skynet_fly's server cannot read watch requests with secret_key and no is_encrypt"
          + " (its own client's neither; docs/skynet.md)");
      return;
    }
    List<ChannelMessage<Map>> messages = new CopyOnWriteArrayList<>();
    List<StateUpdate<Map>> states = new CopyOnWriteArrayList<>();
    List<StateUpdate<Map>> rooms = new CopyOnWriteArrayList<>();
    SkynetChannels channels = nodes.channels(svrName).node(svrId);
    try (Subscription pub = channels.subscribe("interop_pub", Map.class, messages::add);
        Subscription syn = channels.watchState("interop_syn", Map.class, states::add);
        Subscription pattern = channels.watchState("room:*:a", Map.class, rooms::add)) {
      sleep(3000);
    } catch (RuntimeException e) {
      line(false, "pub/sub and state sync", e.toString());
      return;
    }
    NodeId lua = new NodeId(svrName, svrId);
    follows("pub/sub: channels.subscribe gets each publish", "tick", 5,
        messages.stream().map(m -> Map.entry(m.node().id(), m.payload())).toList(), lua);
    follows("state sync: channels.watchState follows each version", "state", 2,
        states.stream().map(u -> Map.entry(u.node().id(), u.value())).toList(), lua);
    Set<String> names = new TreeSet<>();
    for (StateUpdate<Map> update : rooms) {
      names.add(update.channel() + (update.node().id().equals(lua) ? "" : " from " + update.node().id()));
    }
    line(names.equals(Set.of("room:1:a", "room:2:a")),
        "pattern state sync: watchState(room:*:a) follows room:1:a and room:2:a, not room:1:b",
        rooms.size() + " updates of " + String.join(",", names));
  }

  /** At least {@code least} values from the Lua node, {@code field} growing from one to the next. */
  private void follows(String what, String field, int least, List<Map.Entry<NodeId, Map>> got, NodeId lua) {
    long previous = Long.MIN_VALUE;
    String bad = null;
    List<Object> sequence = new ArrayList<>();
    for (Map.Entry<NodeId, Map> entry : got) {
      Object value = entry.getValue() == null ? null : entry.getValue().get(field);
      sequence.add(value);
      if (bad == null && (!entry.getKey().equals(lua) || !(value instanceof Number n) || n.longValue() <= previous)) {
        bad = entry.toString();
      }
      if (value instanceof Number n) {
        previous = n.longValue();
      }
    }
    line(got.size() >= least && bad == null, what, got.size() + " messages from " + lua + ", " + field + " "
        + (sequence.isEmpty() ? "-" : sequence.get(0) + " .. " + sequence.get(sequence.size() - 1))
        + (bad == null ? "" : ", unexpected: " + bad + " in " + sequence));
  }

  private void line(boolean ok, String what, String detail) {
    out.println((ok ? "PASS " : "FAIL ") + security + " Java→Lua " + mode + " " + what + ": " + detail);
    out.flush();
  }

  private void skip(String what, String detail) {
    out.println("SKIP " + security + " Java→Lua " + mode + " " + what + ": " + detail);
    out.flush();
  }

  private SkynetModuleCall module(String module) {
    SkynetModuleCall call = skynet.module(svrName, module).timeout(Duration.ofSeconds(10));
    return mode.equals("byid") ? call.node(svrId) : call;
  }

  /** One call in the current mode: all mode must have exactly this node answering. */
  private <T> T call(SkynetModuleCall call, String command, Class<T> type, Object... args) {
    if (!mode.equals("all")) {
      return call.call(command, type, args);
    }
    AllNodesReply<T> reply = call.allNodes().call(command, type, args);
    return only(reply);
  }

  private <T> T only(AllNodesReply<T> reply) {
    if (!reply.failures().isEmpty()) {
      throw reply.failures().values().iterator().next();
    }
    if (reply.replies().size() != 1 || !reply.replies().containsKey(svrId)) {
      throw new IllegalStateException("expected a reply of node " + svrId + " only: " + reply);
    }
    return reply.replies().get(svrId);
  }

  private <T> Map<Integer, T> broadcast(SkynetModuleCall call, String command, Class<T> type, Object... args) {
    if (!mode.equals("all")) {
      return call.broadcast().call(command, type, args);
    }
    return only(call.allNodes().broadcast().call(command, type, args));
  }

  private void check(String what, Supplier<Object> actual, Object expected) {
    try {
      Object got = actual.get();
      boolean ok = Objects.equals(got, expected);
      line(ok, what, ok ? shown(got) : "expected " + shown(expected) + ", got " + shown(got));
    } catch (RuntimeException e) {
      line(false, what, e.toString());
    }
  }

  private void expectError(String what, Runnable call) {
    try {
      call.run();
      line(false, what, "no error");
    } catch (RemoteCallException e) {
      line(true, what, e.getClass().getSimpleName() + " \"" + e.remoteMessage() + "\"");
    } catch (RuntimeException e) {
      line(false, what, e.toString());
    }
  }

  private static String shown(Object value) {
    String text = String.valueOf(value);
    if (value instanceof String s) {
      return s.length() > 60 ? "<string len=" + s.length() + ">" : '"' + s + '"';
    }
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /** A JSON tree as plain Java values (maps compare regardless of key order, integers as Long). */
  private static Object plain(Object value) {
    JsonNode tree = value instanceof JsonNode node ? node : JSON.valueToTree(value);
    return JSON.treeToValue(tree, Object.class);
  }

  private void runMode() {
    SkynetModuleCall interop = module("interop_m");
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", List.of("a", "b"));
    nested.put("map", Map.of("k", Map.of("deep", true)));
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("integer", 42L);
    values.put("negative", -7L);
    values.put("max integer", Long.MAX_VALUE);
    values.put("float", 0.5);
    values.put("true", true);
    values.put("false", false);
    values.put("string", "hello");
    values.put("utf-8", "héllo ✓");
    values.put("empty string", "");
    values.put("list", List.of(1L, 2L, 3L));
    values.put("map", Map.of("a", 1L, "b", "x"));
    values.put("nested", nested);
    values.forEach((name, value) -> check("call echo " + name,
        () -> plain(call(interop, "echo", JsonNode.class, value)), plain(value)));
    check("call add(40, 2)", () -> call(interop, "add", Long.class, 40, 2), 42L);
    check("call args(s, i, b, f, list) -> record", () -> call(interop, "args", Args.class, "s", 7, true, 2.5,
        List.of(1, 2, 3)), new Args("s", 7, true, 2.5, 3));
    check("call move(record, 10) -> record", () -> call(interop, "move", Point.class, new Point(1, 2), 10),
        new Point(11, 12));
    check("call big(40960): 40 KiB reply", () -> call(interop, "big", String.class, 40960), "x".repeat(40960));
    String big = "y".repeat(40960);
    check("call echo(40 KiB): 40 KiB both ways", () -> call(interop, "echo", String.class, big), big);
    check("call sleep(20)", () -> call(interop, "sleep", String.class, 20), "slept 20");
    expectError("call fail: error reply", () -> call(interop, "fail", String.class, "boom"));
    expectError("call unknown command: error reply", () -> call(interop, "no_such_command", String.class));
    expectError("call unknown module: error reply", () -> call(module("missing_m"), "echo", Long.class, 1));

    if (!mode.equals("all")) {
      check("callAsync: 100 concurrent add calls", () -> {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long i = 0; i < 100; i++) {
          futures.add(interop.callAsync("add", Long.class, i, 1000));
        }
        long wrong = 0;
        for (int i = 0; i < futures.size(); i++) {
          if (futures.get(i).join() != i + 1000) {
            wrong++;
          }
        }
        return wrong + " wrong";
      }, "0 wrong");
    }

    SkynetModuleCall byKey = interop.mod(7);
    check("mod(7) call info: same instance twice", () -> {
      Object first = instanceName(call(byKey, "info", Map.class));
      Object second = instanceName(call(byKey, "info", Map.class));
      return first != null && first.equals(second) ? "same" : first + " / " + second;
    }, "same");
    check("broadcast call info", () -> names(broadcast(interop, "info", Map.class).values()), "one,two");

    SkynetModuleCall named = interop.instance("two");
    check("instance(two) balance call info", () -> instanceName(call(named, "info", Map.class)), "two");
    check("instance(two) mod(3) call info", () -> instanceName(call(named.mod(3), "info", Map.class)), "two");
    check("instance(two) broadcast call info", () -> names(broadcast(named, "info", Map.class).values()), "two");
    SkynetAliasCall alias = skynet.alias(svrName, ".interop_1").timeout(Duration.ofSeconds(10));
    if (mode.equals("byid")) {
      alias = alias.node(svrId);
    }
    SkynetAliasCall aliased = alias;
    check("alias(.interop_1) call info", () -> instanceName(mode.equals("all")
        ? only(aliased.allNodes().call("info", Map.class)) : aliased.call("info", Map.class)), "one");

    // every send form leaves a note in the instance(s) it reached
    String tag = "Java→Lua/" + mode + "/";
    List<CompletableFuture<?>> sent = new ArrayList<>();
    if (mode.equals("all")) {
      sent.add(interop.allNodes().send("note", tag + "balance_send"));
      sent.add(interop.allNodes().mod(7).send("note", tag + "mod_send"));
      sent.add(interop.allNodes().broadcast().send("note", tag + "broadcast"));
      sent.add(interop.allNodes().instance("two").send("note", tag + "balance_send_by_name"));
      sent.add(interop.allNodes().instance("two").mod(3).send("note", tag + "mod_send_by_name"));
      sent.add(interop.allNodes().broadcast().instance("two").send("note", tag + "broadcast_by_name"));
      sent.add(alias.allNodes().send("note", tag + "send_by_alias"));
    } else {
      sent.add(interop.send("note", tag + "balance_send"));
      sent.add(byKey.send("note", tag + "mod_send"));
      sent.add(interop.broadcast().send("note", tag + "broadcast"));
      sent.add(named.send("note", tag + "balance_send_by_name"));
      sent.add(named.mod(3).send("note", tag + "mod_send_by_name"));
      sent.add(named.broadcast().send("note", tag + "broadcast_by_name"));
      sent.add(alias.send("note", tag + "send_by_alias"));
    }
    try {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      line(false, "sends written", e.toString());
      return;
    }
    sleep(500);
    Map<String, int[]> per = new TreeMap<>();   // form -> {total, at instance "two"}
    try {
      for (Object reply : broadcast(interop, "notes", Map.class, tag).values()) {
        Map<?, ?> got = (Map<?, ?>) reply;
        Object notes = got.get("notes");
        if (notes instanceof Map<?, ?> map) {
          for (Map.Entry<?, ?> e : map.entrySet()) {
            int[] counts = per.computeIfAbsent(String.valueOf(e.getKey()).substring(tag.length()), k -> new int[2]);
            int n = ((Number) e.getValue()).intValue();
            counts[0] += n;
            if ("two".equals(got.get("instance_name"))) {
              counts[1] += n;
            }
          }
        }
      }
    } catch (RuntimeException e) {
      line(false, "sends arrived (broadcast call notes)", e.toString());
      return;
    }
    expectSent(per, "balance_send", 1, -1);
    expectSent(per, "mod_send", 1, -1);
    expectSent(per, "broadcast", 2, -1);
    expectSent(per, "balance_send_by_name", 1, 1);
    expectSent(per, "mod_send_by_name", 1, 1);
    expectSent(per, "broadcast_by_name", 1, 1);
    expectSent(per, "send_by_alias", 1, -1);
  }

  private void expectSent(Map<String, int[]> per, String form, int total, int atTwo) {
    int[] got = per.getOrDefault(form, new int[2]);
    line(got[0] == total && (atTwo < 0 || got[1] == atTwo), form + " arrived",
        got[0] + " instance(s) got it" + (atTwo < 0 ? "" : ", " + got[1] + " of them \"two\""));
  }

  private static Object instanceName(Map<?, ?> info) {
    return info == null ? null : info.get("instance_name");
  }

  private static String names(Collection<?> infos) {
    List<String> names = new ArrayList<>();
    for (Object info : infos) {
      names.add(String.valueOf(instanceName((Map<?, ?>) info)));
    }
    names.sort(null);
    return String.join(",", names);
  }

  /** {@code count} concurrent 1 KiB mod calls, {@code runs} times after a warm-up; prints calls/s and the median. */
  static void bench(SkynetNodes nodes, SkynetRemoteNode lua, int count, int size, int runs, PrintStream out) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!nodes.isActive(lua.svrName(), lua.svrId()) && System.nanoTime() < deadline) {
      sleep(100);
    }
    SkynetModuleCall ping = nodes.template().module(lua.svrName(), "interop_m").node(lua.svrId()).mod(1)
        .timeout(Duration.ofSeconds(120));
    String message = "m".repeat(size);
    String expected = "pong " + message;
    burst(ping, count, message, expected);
    List<Double> rates = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      int failed = burst(ping, count, message, expected);
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = count / seconds;
      rates.add(rate);
      out.printf("BENCH Java→Lua run %d %d calls %.3f s %.0f calls/s%s%n", run, count, seconds, rate,
          failed > 0 ? " FAIL " + failed + " calls failed" : "");
    }
    rates.sort(null);
    out.printf("BENCH Java→Lua median %.0f calls/s%n", rates.get((rates.size() - 1) / 2));
    out.flush();
  }

  private static int burst(SkynetModuleCall ping, int count, String message, String expected) {
    List<CompletableFuture<String>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      futures.add(ping.callAsync("ping", String.class, message));
    }
    int failed = 0;
    for (CompletableFuture<String> future : futures) {
      try {
        if (!expected.equals(future.join())) {
          failed++;
        }
      } catch (RuntimeException e) {
        failed++;
      }
    }
    return failed;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
