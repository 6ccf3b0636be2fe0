package io.frpc.skynet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The frames each form of {@link SkynetTemplate} sends, byte by byte as a skynet_fly server reads them: flag, pack
 * id, module and instance names, a non-zero session, the mod key, and the payload {@code skynet.pack(cmd, args...)}.
 */
class SkynetRequestFramesTest extends FakeNodesSupport {

  private static final SkynetPack PACK = SkynetPack.create();

  private final FakeLuaServer lua = server(1);
  private final SkynetTemplate skynet = connected(lua).template();

  @Test
  void balanceCallIsPackId200WithTheResponseFlagAndThePackedCommandAndArguments() throws Exception {
    skynet.module(LUA, "interop_m").call("echo", Integer.class, 1);

    RequestFrame frame = RequestFrame.next(lua.frames);
    assertThat(frame.flag()).isEqualTo(0x11);
    assertThat(frame.packId()).isEqualTo(200);
    assertThat(frame.module()).isEqualTo("interop_m");
    assertThat(frame.instance()).isEmpty();
    assertThat(frame.session()).isNotZero();
    assertThat(frame.modKey()).isNull();
    assertThat(frame.rest()).isEqualTo(PACK.pack(LuaValue.of("echo"), LuaValue.of(1)));
  }

  @Test
  void modCallIsPackId201WithItsKey() throws Exception {
    skynet.module(LUA, "interop_m").mod(7).call("echo", Integer.class, 1);

    RequestFrame frame = RequestFrame.next(lua.frames);
    assertThat(frame.flag()).isEqualTo(0x31);
    assertThat(frame.packId()).isEqualTo(201);
    assertThat(frame.modKey()).isEqualTo(7);
  }

  @Test
  void modKeyZeroTravelsAsOneBecauseSkynetFlyCannotCarryZero() throws Exception {
    skynet.module(LUA, "interop_m").mod(0).call("echo", Integer.class, 1);

    RequestFrame frame = RequestFrame.next(lua.frames);
    assertThat(frame.flag()).isEqualTo(0x31);
    assertThat(frame.modKey()).isEqualTo(1);
  }

  @Test
  void aNegativeModKeyIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> skynet.module(LUA, "interop_m").mod(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
  }

  @Test
  void broadcastCallIsPackId202() throws Exception {
    skynet.module(LUA, "interop_m").broadcast().call("echo", Integer.class, 1);

    RequestFrame frame = RequestFrame.next(lua.frames);
    assertThat(frame.flag()).isEqualTo(0x11);
    assertThat(frame.packId()).isEqualTo(202);
  }

  @Test
  void callsByInstanceNameAre203To205AndCarryTheName() throws Exception {
    skynet.module(LUA, "interop_m").instance("two").call("echo", Integer.class, 1);
    skynet.module(LUA, "interop_m").instance("two").mod(5).call("echo", Integer.class, 1);
    skynet.module(LUA, "interop_m").instance("two").broadcast().call("echo", Integer.class, 1);

    RequestFrame balance = RequestFrame.next(lua.frames);
    RequestFrame mod = RequestFrame.next(lua.frames);
    RequestFrame broadcast = RequestFrame.next(lua.frames);
    assertThat(List.of(balance.packId(), mod.packId(), broadcast.packId())).containsExactly(203, 204, 205);
    assertThat(List.of(balance.instance(), mod.instance(), broadcast.instance())).containsOnly("two");
    assertThat(List.of(balance.flag(), mod.flag(), broadcast.flag())).containsExactly(0x11, 0x31, 0x11);
    assertThat(mod.modKey()).isEqualTo(5);
  }

  @Test
  void sendsAre100To105WithoutTheResponseFlagButWithAFreshNonZeroSession() throws Exception {
    skynet.module(LUA, "interop_m").send("note", 1).join();
    skynet.module(LUA, "interop_m").mod(3).send("note", 1).join();
    skynet.module(LUA, "interop_m").broadcast().send("note", 1).join();
    skynet.module(LUA, "interop_m").instance("one").send("note", 1).join();
    skynet.module(LUA, "interop_m").instance("one").mod(3).send("note", 1).join();
    skynet.module(LUA, "interop_m").instance("one").broadcast().send("note", 1).join();

    Set<Long> sessions = new HashSet<>();
    for (int packId = 100; packId <= 105; packId++) {
      RequestFrame frame = RequestFrame.next(lua.frames);
      assertThat(frame.packId()).isEqualTo(packId);
      assertThat(frame.flag()).isEqualTo(packId == 101 || packId == 104 ? 0x21 : 0x01);
      assertThat(frame.session()).isNotZero();
      sessions.add(frame.session());
    }
    assertThat(sessions).hasSize(6);
  }

  @Test
  void aliasCallIs206AndAliasSendIs106WithTheServiceNameAsModule() throws Exception {
    skynet.alias(LUA, ".interop_2").call("echo", Integer.class, 1);
    skynet.alias(LUA, ".interop_2").send("note").join();

    RequestFrame call = RequestFrame.next(lua.frames);
    RequestFrame send = RequestFrame.next(lua.frames);
    assertThat(call.packId()).isEqualTo(206);
    assertThat(call.flag()).isEqualTo(0x11);
    assertThat(call.module()).isEqualTo(".interop_2");
    assertThat(call.instance()).isEmpty();
    assertThat(send.packId()).isEqualTo(106);
    assertThat(send.flag()).isEqualTo(0x01);
    assertThat(send.module()).isEqualTo(".interop_2");
  }

  @Test
  void theHandshakeGivesThisNodesSvrNameAndSvrId() throws Exception {
    FakeLuaServer.Received handshake = lua.handshakes.take();

    assertThat(handshake.request().moduleName()).isEqualTo("hand_shake");
    assertThat(handshake.request().session()).isNotZero();
    LuaTable identity = (LuaTable) handshake.payload().get(0);
    assertThat(identity.get("svr_name")).isEqualTo(LuaValue.of("java"));
    assertThat(identity.get("svr_id")).isEqualTo(LuaValue.of(9));
  }

  @Test
  void argumentsAreBoundThroughLuaBindingAndLuaValuesGoAsTheyAre() throws Exception {
    record Player(String name, int level) { }
    skynet.module(LUA, "interop_m").call("echo", Object.class, new Player("ann", 3), LuaValue.of(2.0), null,
        List.of(1, 2));

    List<LuaValue> payload = lua.nextRequest().payload();
    assertThat(payload.get(0)).isEqualTo(LuaValue.of("echo"));
    assertThat(payload.get(1)).isEqualTo(LuaTable.builder().put("name", LuaValue.of("ann"))
        .put("level", LuaValue.of(3)).build());
    assertThat(payload.get(2)).isEqualTo(LuaValue.of(2.0));
    assertThat(payload.get(3)).isEqualTo(LuaValue.nil());
    assertThat(payload.get(4)).isEqualTo(LuaTable.ofArray(LuaValue.of(1), LuaValue.of(2)));
  }

  @Test
  void aRequestOver32KibGoesAsAHeadAndPartsThatTheServerReassembles() throws Exception {
    String big = "y".repeat(40_000);
    assertThat(skynet.module(LUA, "interop_m").mod(2).call("echo", String.class, big)).isEqualTo(big);

    RequestFrame head = RequestFrame.next(lua.frames);
    assertThat(head.flag()).isEqualTo(0x02 | 0x10 | 0x20);
    assertThat(head.modKey()).isEqualTo(2);
    int total = ByteBuffer.wrap(head.rest()).order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertThat(total).isEqualTo(PACK.pack(LuaValue.of("echo"), LuaValue.of(big)).length);
    byte[] first = lua.frames.take();
    byte[] last = lua.frames.take();
    assertThat(first[0]).isEqualTo((byte) 0x04);
    assertThat(first.length).isEqualTo(5 + 0x8000);
    assertThat(last[0]).isEqualTo((byte) 0x08);
    assertThat(last.length).isEqualTo(5 + total - 0x8000);
  }
}
