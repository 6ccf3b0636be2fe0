package io.frpc.skynet.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.NodeId;
import io.frpc.Transport;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaNil;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a skynet_fly caller gets from this node's modules, request by request: every send and call form by its
 * pack id, results packed as Lua expects them, and skynet_fly's error texts.
 */
class LuaRequestHandlerTest {

  private static final SkynetPack PACK = SkynetPack.create();

  private FrpcNode node;
  private EmbeddedChannel channel;
  private long sessions;

  record Point(int x, int y) {
  }

  /** Module "room": two instances, one more named "vip". */
  public static final class Room {
    static final List<String> NOTES = new CopyOnWriteArrayList<>();
    private final String name;

    Room(FrpcInstance instance) {
      this.name = instance.instanceName() + ":" + instance.index();
    }

    public int add(int a, int b) {
      return a + b;
    }

    public Point move(Point p, int by) {
      return new Point(p.x() + by, p.y() + by);
    }

    public String who() {
      return name;
    }

    public void note(String text) {
      NOTES.add(name + " " + text);
    }

    public List<String> none() {
      return null;
    }

    public String fail(String why) {
      throw new IllegalStateException(why);
    }
  }

  @BeforeEach
  void start() {
    Room.NOTES.clear();
    node = FrpcNode.builder("java_s", 3).transport(Transport.IN_JVM)
        .handler(HandlerDefinition.of("room", null, 2, Room::new))
        .handler(HandlerDefinition.of("room", "vip", 1, Room::new))
        .build();
    node.start();
    channel = new EmbeddedChannel();
    NodeId caller = new NodeId("lua_c", 1);
    channel.pipeline().addLast(new LuaRequestHandler(node.id(), caller,
        node.bridge().connect(caller, channel.eventLoop()), Map.of(".room_alias", "room"), PACK,
        LuaBinding.create()));
  }

  @AfterEach
  void stop() {
    channel.finishAndReleaseAll();
    node.close();
  }

  private SkynetResponse call(int packId, String module, String instance, long modKey, LuaValue... values) {
    long session = ++sessions;
    channel.writeInbound(new SkynetRequest(packId, module, instance, session, modKey, true, PACK.pack(values)));
    List<SkynetResponse> got = new ArrayList<>(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      channel.runPendingTasks();
      SkynetResponse response = channel.readOutbound();
      if (response != null) {
        got.add(response);
      }
      return !got.isEmpty();
    });
    assertThat(got.get(0).session()).isEqualTo(session);
    return got.get(0);
  }

  private void send(int packId, String module, String instance, long modKey, LuaValue... values) {
    channel.writeInbound(new SkynetRequest(packId, module, instance, ++sessions, modKey, false, PACK.pack(values)));
  }

  private static LuaString s(String text) {
    return LuaString.of(text);
  }

  private static List<LuaValue> ok(SkynetResponse response) {
    assertThat(response.ok()).as("ok, not: %s", new String(response.payload(), StandardCharsets.UTF_8)).isTrue();
    return PACK.unpack(response.payload());
  }

  private static String error(SkynetResponse response) {
    assertThat(response.ok()).isFalse();
    return new String(response.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void aCallsArgumentsBindToTheCommandsTypesAndItsResultIsPacked() {
    assertThat(ok(call(PackIds.BALANCE_CALL, "room", "", 0, s("add"), new LuaInteger(2), new LuaInteger(40))))
        .containsExactly(new LuaInteger(42));
    LuaTable point = LuaTable.builder().put("x", new LuaInteger(1)).put("y", new LuaInteger(2)).build();
    assertThat(ok(call(PackIds.BALANCE_CALL, "room", "", 0, s("move"), point, new LuaInteger(10))))
        .containsExactly(LuaTable.builder().put("x", new LuaInteger(11)).put("y", new LuaInteger(12)).build());
    assertThat(ok(call(PackIds.BALANCE_CALL, "room", "", 0, s("none")))).containsExactly(LuaNil.NIL);
  }

  @Test
  void everyCallFormPicksItsInstances() {
    List<String> inTurn = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inTurn.add(((LuaString) ok(call(PackIds.BALANCE_CALL, "room", "", 0, s("who"))).get(0)).utf8());
    }
    assertThat(inTurn).containsExactlyInAnyOrder("null:0", "null:1", "vip:0");
    LuaValue byKey = ok(call(PackIds.MOD_CALL, "room", "", 7, s("who"))).get(0);
    assertThat(ok(call(PackIds.MOD_CALL, "room", "", 7, s("who")))).containsExactly(byKey);
    assertThat(ok(call(PackIds.BALANCE_CALL_BY_NAME, "room", "vip", 0, s("who")))).containsExactly(s("vip:0"));
    assertThat(ok(call(PackIds.MOD_CALL_BY_NAME, "room", "vip", 9, s("who")))).containsExactly(s("vip:0"));
    assertThat(ok(call(PackIds.CALL_BY_ALIAS, ".room_alias", "", 0, s("add"), new LuaInteger(1), new LuaInteger(1))))
        .containsExactly(new LuaInteger(2));

    // skynet_fly's broadcast reply: {[address] = <string holding that instance's packed results>}
    LuaTable all = (LuaTable) ok(call(PackIds.BROADCAST_CALL, "room", "", 0, s("who"))).get(0);
    List<LuaValue> answers = new ArrayList<>();
    for (long address = 1; address <= 3; address++) {
      answers.addAll(PACK.unpack(((LuaString) all.get(address)).bytes()));
    }
    assertThat(answers).containsExactlyInAnyOrder(s("null:0"), s("null:1"), s("vip:0"));
    LuaTable vip = (LuaTable) ok(call(PackIds.BROADCAST_CALL_BY_NAME, "room", "vip", 0, s("who"))).get(0);
    assertThat(PACK.unpack(((LuaString) vip.get(1)).bytes())).containsExactly(s("vip:0"));
  }

  @Test
  void everySendFormRunsWithoutAReply() {
    send(PackIds.BALANCE_SEND, "room", "", 0, s("note"), s("balance"));
    send(PackIds.MOD_SEND, "room", "", 3, s("note"), s("mod"));
    send(PackIds.BROADCAST, "room", "", 0, s("note"), s("all"));
    send(PackIds.BALANCE_SEND_BY_NAME, "room", "vip", 0, s("note"), s("by name"));
    send(PackIds.MOD_SEND_BY_NAME, "room", "vip", 3, s("note"), s("mod by name"));
    send(PackIds.BROADCAST_BY_NAME, "room", "vip", 0, s("note"), s("all by name"));
    send(PackIds.SEND_BY_ALIAS, ".room_alias", "", 0, s("note"), s("alias"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Room.NOTES.size() == 9);
    assertThat(Room.NOTES).filteredOn(note -> note.endsWith(" all")).hasSize(3);
    assertThat(Room.NOTES).filteredOn(note -> note.endsWith("by name")).allMatch(note -> note.startsWith("vip:0"));
    channel.runPendingTasks();
    assertThat((Object) channel.readOutbound()).as("no reply to a send").isNull();
  }

  @Test
  void failuresAnswerWithTheTextsALuaCallerGets() {
    assertThat(error(call(PackIds.BALANCE_CALL, "room", "", 0, s("fail"), s("boom"))))
        .isEqualTo("call err COMMAND_FAILED java.lang.IllegalStateException: boom");
    assertThat(error(call(PackIds.BALANCE_CALL, "nope", "", 0, s("x")))).startsWith("call err UNKNOWN_MODULE");
    assertThat(error(call(PackIds.BALANCE_CALL, "room", "", 0, s("add"), s("two")))).startsWith("call err BAD_ARGUMENTS");
    assertThat(error(call(PackIds.CALL_BY_ALIAS, ".unknown", "", 0, s("x"))))
        .isEqualTo(" module_name not exists :.unknown");
    assertThat(error(call(99, "room", "", 0, s("who")))).isEqualTo("unknown pack_id = 99 cluster_name = java_s:3");
    assertThat(error(call(PackIds.MOD_CALL, "room", "", 0, s("who")))).contains("mod_num");
    assertThat(error(call(PackIds.BALANCE_CALL, "room", "", 0, new LuaInteger(5))))
        .contains("first packed value must be the command name");
    assertThat(error(call(PackIds.BROADCAST_CALL, "room", "", 0, s("fail"), s("each"))))
        .isEqualTo("call err COMMAND_FAILED java.lang.IllegalStateException: each");
  }
}
