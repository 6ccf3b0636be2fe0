package io.frpc.skynet.client;

import io.frpc.AllNodesReply;
import io.frpc.NodeId;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.type.TypeReference;

/**
 * Not a test: a program to try the client by hand against real skynet_fly nodes serving the {@code interop_m}
 * module of the interop test nodes (commands echo, add, fail, sleep, multi, big, info, note). It calls every form
 * and prints each result or failure, one per line. Arguments: the nodes' svr_name, then one
 * {@code id=host:port[/secret[/encrypt]]} per node. With {@code --restart} last, it then makes a call that stays
 * pending (sleep), prints {@code PENDING} and waits for the node to go down and come back (the caller kills and
 * restarts it).
 */
final class LuaNodeInterop {

  record Info(String svr_name, int svr_id, int index, String instance_name, int addr) { }

  public static void main(String[] args) throws Exception {
    String svrName = args[0];
    boolean restart = args[args.length - 1].equals("--restart");
    SkynetNodes.Builder builder = SkynetNodes.builder("java_interop", 7).listener(new SkynetNodeListener() {
      @Override
      public void nodeUp(NodeId node) {
        System.out.println("EVENT up " + node);
      }

      @Override
      public void nodeDown(NodeId node) {
        System.out.println("EVENT down " + node);
      }
    });
    for (int i = 1; i < args.length - (restart ? 1 : 0); i++) {
      String[] idAndRest = args[i].split("=", 2);
      String[] parts = idAndRest[1].split("/");
      SkynetRemoteNode node = SkynetRemoteNode.of(svrName, Integer.parseInt(idAndRest[0]), parts[0]);
      if (parts.length > 1) {
        node = node.withSecretKey(parts[1]);
      }
      if (parts.length > 2) {
        node = node.withEncryption();
      }
      builder.node(node);
    }
    try (SkynetNodes nodes = builder.build()) {
      nodes.start();
      SkynetTemplate lua = nodes.template();
      SkynetModuleCall m = lua.module(svrName, "interop_m");
      Thread.sleep(1000);
      show("active ids", () -> nodes.activeNodeIds(svrName));
      for (int id : nodes.activeNodeIds(svrName)) {
        SkynetModuleCall byId = m.node(id);
        System.out.println("---- node " + svrName + ":" + id);
        show("balance_call add(2,3)", () -> byId.call("add", Integer.class, 2, 3));
        show("balance_call echo(record, list, nil, 1.5)", () -> byId.callForReply("echo",
            Map.of("k", "v"), List.of(1, 2, 3), null, 1.5).values());
        show("balance_call multi() all values", () -> byId.callForReply("multi").values());
        show("balance_call info()", () -> byId.call("info", Info.class));
        show("mod_call(7) info()", () -> byId.mod(7).call("info", Info.class));
        show("mod_call(8) info()", () -> byId.mod(8).call("info", Info.class));
        show("mod_call(0) info()", () -> byId.mod(0).call("info", Info.class));
        show("broadcast_call info()", () -> byId.broadcast().call("info", Info.class));
        show("balance_call_by_name(two) info()", () -> byId.instance("two").call("info", Info.class));
        show("mod_call_by_name(one, 5) info()", () -> byId.instance("one").mod(5).call("info", Info.class));
        show("broadcast_call_by_name(two) info()", () -> byId.instance("two").broadcast().call("info", Info.class));
        show("call_by_alias(.interop_2) info()", () -> lua.alias(svrName, ".interop_2").node(id)
            .call("info", Info.class));
        show("balance_send note", () -> byId.send("note", "balance_send from java").get(5, TimeUnit.SECONDS));
        show("mod_send note", () -> byId.mod(3).send("note", "mod_send from java").get(5, TimeUnit.SECONDS));
        show("broadcast note", () -> byId.broadcast().send("note", "broadcast from java").get(5, TimeUnit.SECONDS));
        show("balance_send_by_name note", () -> byId.instance("one").send("note", "by_name").get(5, TimeUnit.SECONDS));
        show("mod_send_by_name note", () -> byId.instance("one").mod(2).send("note", "mod_by_name")
            .get(5, TimeUnit.SECONDS));
        show("broadcast_by_name note", () -> byId.instance("two").broadcast().send("note", "broadcast_by_name")
            .get(5, TimeUnit.SECONDS));
        show("send_by_alias note", () -> lua.alias(svrName, ".interop_1").node(id).send("note", "alias")
            .get(5, TimeUnit.SECONDS));
        show("big(70000) length", () -> byId.call("big", String.class, 70000).length());
        show("echo(40000-byte string) length", () -> byId.call("echo", String.class, "z".repeat(40000)).length());
        show("fail('boom')", () -> byId.call("fail", String.class, "boom"));
        show("unknown command", () -> byId.call("no_such_cmd", String.class));
        show("missing module by name", () -> lua.module(svrName, "missing_m").node(id).instance("x")
            .call("echo", String.class));
        show("missing module", () -> lua.module(svrName, "missing_m").node(id).call("echo", String.class));
        show("sleep(200) with timeout 500 ms", () -> byId.timeout(Duration.ofMillis(500))
            .call("sleep", String.class, 200));
        show("out of order: sleep(100) then add(1,1)", () -> {
          CompletableFuture<String> slow = byId.callAsync("sleep", String.class, 100);
          CompletableFuture<Integer> fast = byId.callAsync("add", Integer.class, 1, 1);
          Integer fastValue = fast.get(5, TimeUnit.SECONDS);
          boolean slowDoneWhenFastWas = slow.isDone();
          return "add=" + fastValue + " (sleep done then: " + slowDoneWhenFastWas + "), sleep="
              + slow.get(5, TimeUnit.SECONDS);
        });
        Thread.sleep(2000);
        show("after the late reply of the timed-out sleep: add(4,4)", () -> byId.call("add", Integer.class, 4, 4));
        show("a table with integer keys as LuaValue", () -> byId.callForReply("echo",
            LuaTable.builder().put(LuaValue.of(10), LuaValue.of("ten")).build()).values());
        show("echo into Map<Integer,String>", () -> byId.call("echo", new TypeReference<Map<Integer, String>>() { },
            LuaTable.builder().put(LuaValue.of(10), LuaValue.of("ten")).build()));
      }
      System.out.println("---- mode one and all");
      show("one: 4 x info() svr_id", () -> {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 4; i++) {
          ids.append(m.call("info", Info.class).svr_id()).append(' ');
        }
        return ids.toString().trim();
      });
      show("all: add(1,2)", () -> {
        AllNodesReply<Integer> all = m.allNodes().call("add", Integer.class, 1, 2);
        return all.replies() + " failures " + all.failures();
      });
      show("all: big(70000) lengths", () -> {
        AllNodesReply<String> all = m.allNodes().call("big", String.class, 70000);
        return all.replies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().length()).toList();
      });
      show("all broadcast: info() addresses", () -> {
        AllNodesReply<Map<Integer, Info>> all = m.allNodes().broadcast().call("info", Info.class);
        return all.replies().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().keySet()).toList();
      });
      show("all: fail()", () -> m.allNodes().call("fail", String.class).failures());
      show("byid 99 (not in the map)", () -> m.node(99).call("add", Integer.class, 1, 1));
      if (restart) {
        int id = nodes.activeNodeIds(svrName).first();
        CompletableFuture<String> pending = m.node(id).timeout(Duration.ofSeconds(60))
            .callAsync("sleep", String.class, 3000);
        System.out.println("PENDING on " + svrName + ":" + id);
        show("the pending sleep(3000) when the node is killed", () -> pending.get(60, TimeUnit.SECONDS));
        long start = System.nanoTime();
        while (!nodes.isActive(svrName, id) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
          Thread.sleep(50);
        }
        show("after restart, add(5,5) on node " + id, () -> m.node(id).call("add", Integer.class, 5, 5));
      }
    }
    System.out.println("DONE");
  }

  private static void show(String what, Callable<?> call) {
    long start = System.nanoTime();
    String outcome;
    try {
      outcome = "= " + call.call();
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      outcome = "! " + cause.getClass().getSimpleName() + ": " + cause.getMessage()
          + (cause instanceof io.frpc.RemoteCallException remote ? " [code " + remote.code() + "]" : "")
          + (cause instanceof io.frpc.ConnectionLostException lost ? " [mayHaveRun " + lost.mayHaveRun() + "]" : "");
    }
    System.out.printf("%-45s %s (%d ms)%n", what, outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
