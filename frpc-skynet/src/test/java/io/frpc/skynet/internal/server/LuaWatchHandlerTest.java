package io.frpc.skynet.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.InstanceReply;
import io.frpc.NodeId;
import io.frpc.bridge.BridgeConnection;
import io.frpc.bridge.BridgeRequest;
import io.frpc.bridge.BridgeSubscriber;
import io.frpc.bridge.NodeBridge;
import io.frpc.skynet.LuaBinding;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The order of a watch connection's state pushes when the node's publications reach it out of order: the current
 * value sent at subscription can be handed over after a newer version was published.
 */
class LuaWatchHandlerTest {

  private static final SkynetPack PACK = SkynetPack.create();

  /** A node bridge that keeps the subscriber its connection was given, for the test to publish through. */
  private static final class CapturingBridge implements NodeBridge, BridgeConnection {
    BridgeSubscriber subscriber;
    int subscriptionId;

    @Override
    public BridgeConnection connect(NodeId peer, Executor connection) {
      return this;
    }

    @Override
    public BridgeConnection connect(NodeId peer, Executor connection, BridgeSubscriber subscriber) {
      this.subscriber = subscriber;
      return this;
    }

    @Override
    public void subscribe(int id, String channel, boolean state) {
      subscriptionId = id;
    }

    @Override
    public void unsubscribe(int id) {
    }

    @Override
    public void writable() {
    }

    @Override
    public CompletableFuture<JsonNode> call(BridgeRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<InstanceReply<JsonNode>>> broadcast(BridgeRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void send(BridgeRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
  }

  @Test
  void anOlderStateVersionArrivingAfterANewerOneIsNotPushed() {
    CapturingBridge bridge = new CapturingBridge();
    EmbeddedChannel channel = new EmbeddedChannel();
    AtomicLong sessions = new AtomicLong();
    channel.pipeline().addLast(new LuaWatchHandler(new NodeId("lua_c", 1), bridge, channel, PACK,
        LuaBinding.create(), sessions::incrementAndGet));
    channel.writeInbound(new SkynetRequest(PackIds.SUBSYN, "", "", 1, 0, false,
        PACK.pack(LuaString.of("room:1"), new LuaInteger(0))));

    // version 22 published while the current value (21) of the subscription was on its way
    bridge.subscriber.state(bridge.subscriptionId, "room:1", 22, JsonNodeFactory.instance.stringNode("bob"));
    bridge.subscriber.state(bridge.subscriptionId, "room:1", 21, JsonNodeFactory.instance.stringNode("ann"));
    channel.runPendingTasks();

    SkynetPush push = channel.readOutbound();
    List<LuaValue> versioned = PACK.unpack(push.payload());
    assertThat(versioned.get(0)).isEqualTo(new LuaInteger(22));
    // the subscriber asks for what follows 22: version 21 is never pushed
    channel.writeInbound(new SkynetRequest(PackIds.SUBSYN, "", "", 2, 0, false,
        PACK.pack(LuaString.of("room:1"), new LuaInteger(22))));
    channel.runPendingTasks();
    assertThat((Object) channel.readOutbound()).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void aPeerCannotFollowMoreThanTheLimit() {
    CapturingBridge bridge = new CapturingBridge();
    EmbeddedChannel channel = new EmbeddedChannel();
    AtomicLong sessions = new AtomicLong();
    channel.pipeline().addLast(new LuaWatchHandler(new NodeId("lua_c", 1), bridge, channel, PACK,
        LuaBinding.create(), sessions::incrementAndGet));
    for (int i = 0; i <= LuaWatchHandler.MAX_SUBSCRIPTIONS; i++) {
      channel.writeInbound(new SkynetRequest(PackIds.SUBSYN, "", "", i + 1, 0, false,
          PACK.pack(LuaString.of("room:" + i), new LuaInteger(0))));
    }
    // the last one was refused before it reached the node: the bridge saw ids 1..MAX only
    assertThat(bridge.subscriptionId).isEqualTo(LuaWatchHandler.MAX_SUBSCRIPTIONS);
    channel.finishAndReleaseAll();
  }
}
