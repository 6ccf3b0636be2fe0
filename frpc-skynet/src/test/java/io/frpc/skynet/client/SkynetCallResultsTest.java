package io.frpc.skynet.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.AllNodesReply;
import io.frpc.NodeId;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.ReplyBindingException;
import io.frpc.skynet.LuaValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/** What calls return: bound results, every value, broadcast replies by instance, per-node replies, and errors. */
class SkynetCallResultsTest extends FakeNodesSupport {

  private final FakeLuaServer lua1 = server(1);
  private final FakeLuaServer lua2 = server(2);
  private final SkynetTemplate skynet = connected(lua1, lua2).template();

  @Test
  void theFirstReturnedValueBindsToTheResultType() {
    assertThat(skynet.module(LUA, "interop_m").call("add", Integer.class, 2, 3)).isEqualTo(5);
    assertThat(skynet.module(LUA, "interop_m").call("echo", new TypeReference<List<String>>() { },
        List.of("a", "b"))).containsExactly("a", "b");
  }

  @Test
  void aTableBindsToARecordWithSnakeCaseFieldsGivenAsTheyAre() {
    record Raw(int addr, int svr_id, String instance_name) { }

    Raw info = skynet.module(LUA, "interop_m").node(2).instance("two").call("info", Raw.class);

    assertThat(info).isEqualTo(new Raw(FakeLuaServer.TWO, 2, "two"));
  }

  @Test
  void whatIsChainedOnACallNeverRunsOnAnIoThread() throws Exception {
    String thread = skynet.module(LUA, "interop_m").callAsync("add", Integer.class, 1, 1)
        .thenApply(sum -> Thread.currentThread().getName()).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(thread).doesNotContain("skynet-io");
    String failed = skynet.module(LUA, "interop_m").callAsync("no_such_command", Integer.class)
        .handle((sum, failure) -> Thread.currentThread().getName()).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(failed).doesNotContain("skynet-io");
  }

  @Test
  void noReturnedValueBindsAsNil() {
    assertThat(skynet.module(LUA, "interop_m").call("echo", String.class)).isNull();
  }

  @Test
  void callForReplyGivesEveryValueNilsIncludedAndTheNodeThatAnswered() {
    LuaReply reply = skynet.module(LUA, "interop_m").node(1).callForReply("multi");

    assertThat(reply.node()).isEqualTo(new NodeId(LUA, 1));
    assertThat(reply.values()).containsExactly(LuaValue.of(1), LuaValue.nil(), LuaValue.of("three"));
    assertThat(reply.get(3)).isEqualTo(LuaValue.nil());
  }

  @Test
  void aResultThatDoesNotBindFailsWithReplyBindingException() {
    assertThatThrownBy(() -> skynet.module(LUA, "interop_m").call("echo", Integer.class, "not a number"))
        .isInstanceOf(ReplyBindingException.class);
  }

  @Test
  void aBroadcastCallGivesEachInstancesFirstValueByItsAddress() {
    Map<Integer, String> replies = skynet.module(LUA, "interop_m").node(1).broadcast()
        .call("echo", String.class, "hi", "ignored");

    assertThat(replies).containsExactly(Map.entry(FakeLuaServer.ONE, "hi"), Map.entry(FakeLuaServer.TWO, "hi"));
  }

  @Test
  void aBroadcastCallByNameReachesOnlyThatInstance() {
    Map<Integer, Integer> replies = skynet.module(LUA, "interop_m").broadcast().instance("one")
        .call("add", Integer.class, 1, 1);

    assertThat(replies).containsExactly(Map.entry(FakeLuaServer.ONE, 2));
  }

  @Test
  void modeOneGoesRoundRobinOverTheActiveNodes() {
    List<Integer> svrIds = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      svrIds.add(skynet.module(LUA, "interop_m").callForReply("info").node().id());
    }

    assertThat(svrIds).containsExactlyInAnyOrder(1, 2, 1, 2);
    assertThat(svrIds.get(0)).isNotEqualTo(svrIds.get(1));
  }

  @Test
  void nodeIdCallsOnlyThatNode() throws Exception {
    for (int i = 0; i < 3; i++) {
      skynet.module(LUA, "interop_m").node(2).call("echo", Integer.class, i);
    }

    assertThat(lua2.requests).hasSize(3);
    assertThat(lua1.requests).isEmpty();
  }

  @Test
  void allNodesGivesEachNodesResultAndEachNodesFailure() {
    lua2.answers = request -> new FakeLuaServer.Failed("call err boom");

    AllNodesReply<Integer> reply = skynet.module(LUA, "interop_m").allNodes().call("add", Integer.class, 1, 2);

    assertThat(reply.nodeName()).isEqualTo(LUA);
    assertThat(reply.replies()).containsExactly(Map.entry(1, 3));
    assertThat(reply.failures()).containsOnlyKeys(2);
    assertThat(((RemoteCallException) reply.failures().get(2)).remoteMessage()).isEqualTo("call err boom");
  }

  @Test
  void allNodesBroadcastGivesEveryInstanceOfEveryNode() {
    AllNodesReply<Map<Integer, Integer>> reply = skynet.module(LUA, "interop_m").allNodes().broadcast()
        .call("add", Integer.class, 2, 2);

    assertThat(reply.replies()).containsOnlyKeys(1, 2);
    assertThat(reply.replies().get(1)).containsExactly(Map.entry(FakeLuaServer.ONE, 4),
        Map.entry(FakeLuaServer.TWO, 4));
  }

  @Test
  void anAliasCallReachesTheNamedService() {
    record Raw(int addr) { }

    assertThat(skynet.alias(LUA, ".interop_2").node(1).call("info", Raw.class).addr()).isEqualTo(FakeLuaServer.TWO);
  }

  @Test
  void anAliasCallToAllNodesGivesEachNodesResult() {
    record Raw(int addr, int svr_id) { }

    AllNodesReply<Raw> reply = skynet.alias(LUA, ".interop_1").allNodes().call("info", Raw.class);

    assertThat(reply.replies()).containsExactly(Map.entry(1, new Raw(FakeLuaServer.ONE, 1)),
        Map.entry(2, new Raw(FakeLuaServer.ONE, 2)));
  }

  @Test
  void aResponseOver32KibInPartsIsReassembled() {
    assertThat(skynet.module(LUA, "interop_m").call("big", String.class, 100_000)).hasSize(100_000);
  }

  @Test
  void responsesMayArriveInAnyOrder() throws Exception {
    lua1.answers = request -> new FakeLuaServer.NoAnswer();
    CompletableFuture<Integer> first = skynet.module(LUA, "interop_m").node(1).callAsync("echo", Integer.class, 1);
    CompletableFuture<Integer> second = skynet.module(LUA, "interop_m").node(1).callAsync("echo", Integer.class, 2);
    FakeLuaServer.Received one = lua1.nextRequest();
    FakeLuaServer.Received two = lua1.nextRequest();

    lua1.answer(two, LuaValue.of(20));
    assertThat(second.get(5, SECONDS)).isEqualTo(20);
    assertThat(first).isNotDone();
    lua1.answer(one, LuaValue.of(10));
    assertThat(first.get(5, SECONDS)).isEqualTo(10);
  }

  @Test
  void anErrorResponseIsRemoteCallExceptionWithTheLuaText() {
    assertThatThrownBy(() -> skynet.module(LUA, "interop_m").node(1).call("fail", String.class))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.COMMAND_FAILED);
          assertThat(e.remoteMessage()).isEqualTo("call err /skynet/lualib/skynet.lua:817: call failed");
          assertThat(e.node()).isEqualTo(new NodeId(LUA, 1));
        });
  }

  @Test
  void anUnknownModuleByNameIsUnknownModule() {
    assertThatThrownBy(() -> skynet.module(LUA, "missing_m").instance("x").call("echo", String.class))
        .isInstanceOfSatisfying(RemoteCallException.class, e -> {
          assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_MODULE);
          assertThat(e.remoteMessage()).isEqualTo(" module_name not exists :missing_m");
        });
  }
}
