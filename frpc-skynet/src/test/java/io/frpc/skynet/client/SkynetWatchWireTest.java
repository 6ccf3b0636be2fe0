package io.frpc.skynet.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.NodeId;
import io.frpc.pubsub.ChannelMessage;
import io.frpc.pubsub.MessageListener;
import io.frpc.pubsub.StateUpdate;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.LuaBoolean;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.client.SkynetWatches;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetPush;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watch connection on the wire, against a fake skynet_fly node driven by the test: what the client asks for and
 * what it does with pushes the module's own server never sends (a duplicate session, a flood, a dropped
 * connection).
 */
class SkynetWatchWireTest extends FakeNodesSupport {

  private static final SkynetPack PACK = SkynetPack.create();

  private static void push(FakeLuaServer.Received on, int packId, long session, String channel,
      LuaValue... values) {
    on.channel().writeAndFlush(new SkynetPush(packId, session, channel, PACK.pack(values)));
  }

  private static void assertRequest(FakeLuaServer.Received received, int packId, LuaValue... payload) {
    assertThat(received.request().packId()).isEqualTo(packId);
    assertThat(received.request().moduleName()).isEmpty();
    assertThat(received.request().expectsResponse()).isFalse();
    assertThat(received.payload()).containsExactly(payload);
  }

  private static <T> T poll(BlockingQueue<T> queue) throws InterruptedException {
    T next = queue.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("delivered within 5 s").isNotNull();
    return next;
  }

  @Test
  void theFirstSubscriptionOpensAWatchConnectionAndSendsSubWithOurAddressAndName() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    assertThat(lua.handshakes.poll(5, TimeUnit.SECONDS).payload().get(0).toString()).doesNotContain("is_watch");

    nodes.channels(LUA).subscribe("interop_pub", String.class, message -> { });

    FakeLuaServer.Received watchHandshake = lua.handshakes.poll(5, TimeUnit.SECONDS);
    assertThat(((LuaTable) watchHandshake.payload().get(0)).get(LuaString.of("is_watch"))).isEqualTo(LuaBoolean.TRUE);
    assertRequest(lua.nextRequest(), PackIds.SUB, LuaString.of("interop_pub"), new LuaInteger(SkynetWatches.ADDRESS),
        LuaString.of("frpc-java:java:9"));
  }

  @Test
  void aPushWhoseSessionWasSeenWithinAMinuteIsDropped() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    BlockingQueue<Object> ticks = new LinkedBlockingQueue<>();
    nodes.channels(LUA).subscribe("interop_pub", Object.class, message -> ticks.add(message.payload()));
    FakeLuaServer.Received sub = lua.nextRequest();

    push(sub, PackIds.PUBLISH, 5, "interop_pub", LuaString.of("tick 1"));
    push(sub, PackIds.PUBLISH, 5, "interop_pub", LuaString.of("tick 1 again"));
    push(sub, PackIds.PUBLISH, 6, "interop_pub", LuaString.of("tick 2"));

    assertThat(poll(ticks)).isEqualTo("tick 1");
    assertThat(poll(ticks)).isEqualTo("tick 2");
    assertThat(ticks.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aStateWatchAsksAgainWithEachVersionItGets() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    BlockingQueue<StateUpdate<String>> states = new LinkedBlockingQueue<>();
    nodes.channels(LUA).watchState("interop_syn", String.class, states::add);

    FakeLuaServer.Received first = lua.nextRequest();
    assertRequest(first, PackIds.SUBSYN, LuaString.of("interop_syn"), new LuaInteger(0));
    push(first, PackIds.SUBSYN, 1, "interop_syn", new LuaInteger(7),
        new LuaString(PACK.pack(LuaString.of("state"), new LuaInteger(7))));

    StateUpdate<String> update = poll(states);
    assertThat(update.version()).isEqualTo(7);
    assertThat(update.value()).isEqualTo("state");
    assertRequest(lua.nextRequest(), PackIds.SUBSYN, LuaString.of("interop_syn"), new LuaInteger(7));
  }

  @Test
  void aPatternPushMakesItFollowEachNamedChannel() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    BlockingQueue<StateUpdate<String>> states = new LinkedBlockingQueue<>();
    nodes.channels(LUA).watchState("room:*:a", String.class, states::add);

    FakeLuaServer.Received psubsyn = lua.nextRequest();
    assertRequest(psubsyn, PackIds.PSUBSYN, LuaString.of("room:*:a"), new LuaInteger(0));
    push(psubsyn, PackIds.PSUBSYN, 1, "room:*:a", new LuaInteger(1),
        LuaTable.builder().put("room:1:a", LuaBoolean.TRUE).build());

    assertRequest(lua.nextRequest(), PackIds.SUBSYN, LuaString.of("room:1:a"), new LuaInteger(0));
    assertRequest(lua.nextRequest(), PackIds.PSUBSYN, LuaString.of("room:*:a"), new LuaInteger(1));
    push(psubsyn, PackIds.SUBSYN, 2, "room:1:a", new LuaInteger(3), new LuaString(PACK.pack(LuaString.of("open"))));
    StateUpdate<String> update = poll(states);
    assertThat(update.channel()).isEqualTo("room:1:a");
    assertThat(update.value()).isEqualTo("open");
  }

  @Test
  void aListenerThatFallsBehindLosesMessagesBeyondItsBacklogAndIsToldHowMany() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(client(lua).subscriberBacklog(2), 1);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BlockingQueue<ChannelMessage<Integer>> delivered = new LinkedBlockingQueue<>();
    MessageListener<Integer> slow = message -> {
      delivered.add(message);
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Subscription subscription = nodes.channels(LUA).subscribe("n", Integer.class, slow);
    FakeLuaServer.Received sub = lua.nextRequest();

    push(sub, PackIds.PUBLISH, 1, "n", new LuaInteger(1));
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 2; i <= 6; i++) {
      push(sub, PackIds.PUBLISH, i, "n", new LuaInteger(i));
    }
    await(() -> subscription.dropped() == 3, "3 messages dropped");
    release.countDown();
    assertThat(List.of(poll(delivered), poll(delivered), poll(delivered))).extracting(ChannelMessage::payload)
        .containsExactly(1, 2, 3);

    push(sub, PackIds.PUBLISH, 7, "n", new LuaInteger(7));
    ChannelMessage<Integer> afterTheGap = poll(delivered);
    assertThat(afterTheGap.payload()).isEqualTo(7);
    assertThat(afterTheGap.dropped()).isEqualTo(3);
    assertThat(subscription.dropped()).isEqualTo(3);
  }

  @Test
  void aDroppedWatchConnectionIsReopenedAndStateWatchesStartOverFromVersionZero() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    nodes.channels(LUA).watchState("interop_syn", String.class, update -> { });
    FakeLuaServer.Received first = lua.nextRequest();
    push(first, PackIds.SUBSYN, 1, "interop_syn", new LuaInteger(4), new LuaString(PACK.pack(LuaString.of("x"))));
    assertRequest(lua.nextRequest(), PackIds.SUBSYN, LuaString.of("interop_syn"), new LuaInteger(4));

    lua.dropConnections();

    FakeLuaServer.Received again = lua.nextRequest();
    assertRequest(again, PackIds.SUBSYN, LuaString.of("interop_syn"), new LuaInteger(0));
    assertThat(again.channel()).isNotSameAs(first.channel());
  }

  @Test
  void theLastSubscriptionClosingClosesTheWatchConnection() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    Subscription subscription = nodes.channels(LUA).subscribe("interop_pub", String.class, message -> { });
    FakeLuaServer.Received sub = lua.nextRequest();

    subscription.close();

    assertRequest(lua.nextRequest(), PackIds.UNSUB, LuaString.of("interop_pub"),
        new LuaInteger(SkynetWatches.ADDRESS), LuaString.of("frpc-java:java:9"));
    await(() -> !sub.channel().isActive(), "the watch connection closed");
    assertThat(nodes.isActive(LUA)).as("the RPC connection stays").isTrue();
  }

  @Test
  void aSubscriptionBeyondTheConnectionsBoundIsRefused() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(client(lua).maxSubscriptionsPerConnection(1), 1);
    BlockingQueue<String> refusals = new LinkedBlockingQueue<>();
    nodes.channels(LUA).subscribe("a", String.class, message -> { });
    nodes.channels(LUA).subscribe("b", String.class, new MessageListener<String>() {
      @Override
      public void onMessage(ChannelMessage<String> message) {
      }

      @Override
      public void refused(NodeId node, String reason) {
        refusals.add(node + ": " + reason);
      }
    });

    assertThat(poll(refusals)).startsWith("lua:1: ").contains("maxSubscriptionsPerConnection");
    assertRequest(lua.nextRequest(), PackIds.SUB, LuaString.of("a"), new LuaInteger(SkynetWatches.ADDRESS),
        LuaString.of("frpc-java:java:9"));
    assertThat(lua.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aNodeNotInTheMapIsRefusedAtOnce() {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> nodes.channels("nope").subscribe("a", String.class,
        message -> { })).isInstanceOf(io.frpc.UnknownNodeNameException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> nodes.channels(LUA).node(2).subscribe("a",
        String.class, message -> { })).isInstanceOf(io.frpc.NoNodeConnectedException.class);
  }

  @Test
  void listenersRunOffTheIoThreads() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    BlockingQueue<String> threads = new LinkedBlockingQueue<>();
    nodes.channels(LUA).subscribe("n", Integer.class, message -> threads.add(Thread.currentThread().getName()));
    push(lua.nextRequest(), PackIds.PUBLISH, 1, "n", new LuaInteger(1));

    assertThat(poll(threads)).startsWith("frpc-skynet-listeners");
  }

  @Test
  void aSubscriptionOnOneNodeSubscribesOnThatNodeOnlyAndOneOnTheNameOnEvery() throws Exception {
    FakeLuaServer one = server(1);
    FakeLuaServer two = server(2);
    SkynetNodes nodes = connected(one, two);

    nodes.channels(LUA).node(2).subscribe("only_two", String.class, message -> { });
    assertRequest(two.nextRequest(), PackIds.SUB, LuaString.of("only_two"), new LuaInteger(SkynetWatches.ADDRESS),
        LuaString.of("frpc-java:java:9"));
    assertThat(one.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();

    nodes.channels(LUA).subscribe("both", String.class, message -> { });
    assertThat(one.nextRequest().payload().get(0)).isEqualTo(LuaString.of("both"));
    assertThat(two.nextRequest().payload().get(0)).isEqualTo(LuaString.of("both"));
  }

  @Test
  void aSecondWatcherOfAFollowedStateGetsItsCurrentValueWithoutAnotherRequest() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(lua);
    nodes.channels(LUA).watchState("s", String.class, update -> { });
    FakeLuaServer.Received first = lua.nextRequest();
    push(first, PackIds.SUBSYN, 1, "s", new LuaInteger(2), new LuaString(PACK.pack(LuaString.of("v2"))));
    assertRequest(lua.nextRequest(), PackIds.SUBSYN, LuaString.of("s"), new LuaInteger(2));

    BlockingQueue<StateUpdate<String>> second = new LinkedBlockingQueue<>();
    nodes.channels(LUA).watchState("s", String.class, second::add);

    StateUpdate<String> current = poll(second);
    assertThat(current.version()).isEqualTo(2);
    assertThat(current.value()).isEqualTo("v2");
    assertThat(lua.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aPushLargerThanTheMaximumMessageSizeClosesTheWatchConnectionWhichComesBack() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(client(lua).maxMessageSize(40_000), 1);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    nodes.channels(LUA).subscribe("big", String.class, message -> received.add(message.payload()));
    FakeLuaServer.Received sub = lua.nextRequest();

    push(sub, PackIds.PUBLISH, 1, "big", LuaString.of("x".repeat(70_000)));

    await(() -> !sub.channel().isActive(), "the watch connection closed");
    FakeLuaServer.Received again = lua.nextRequest();
    assertRequest(again, PackIds.SUB, LuaString.of("big"), new LuaInteger(SkynetWatches.ADDRESS),
        LuaString.of("frpc-java:java:9"));
    push(again, PackIds.PUBLISH, 1, "big", LuaString.of("x".repeat(30_000)));
    assertThat(poll(received)).hasSize(30_000);
  }
}
