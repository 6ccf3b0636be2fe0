package io.frpc.skynet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The connections of {@link SkynetNodes}: active after the handshake, reconnected, told to a listener. */
class SkynetNodesTest extends FakeNodesSupport {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final SkynetNodeListener listener = new SkynetNodeListener() {
    @Override
    public void nodeUp(NodeId node) {
      events.add("up " + node);
    }

    @Override
    public void nodeDown(NodeId node) {
      events.add("down " + node);
    }
  };

  @Test
  void aNodeIsActiveOnceItsHandshakeCompletedAndTheListenerIsTold() {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(client(lua).listener(listener), 1);

    assertThat(nodes.isActive(LUA)).isTrue();
    assertThat(nodes.isActive(LUA, 1)).isTrue();
    assertThat(nodes.isActive(LUA, 2)).isFalse();
    await(() -> events.equals(List.of("up lua:1")), "the listener told");
  }

  @Test
  void aNodeWhoseHandshakeIsNotAnsweredStaysInactiveAndIsRetriedAfterTheHandshakeTimeout() {
    FakeLuaServer lua = server(1);
    lua.acceptHandshakes = false;
    SkynetNodes nodes = client(lua).handshakeTimeout(Duration.ofMillis(200)).build();
    try (nodes) {
      nodes.start();

      await(() -> lua.handshakes.size() >= 2, "a second handshake on a new connection");
      assertThat(nodes.isActive(LUA)).isFalse();
    }
  }

  @Test
  void aNodeThatRestartsIsReconnectedAndTheListenerSeesDownThenUp() {
    FakeLuaServer first = server(1);
    int port = first.port();
    SkynetNodes nodes = connected(client(first).listener(listener), 1);

    first.close();
    await(() -> !nodes.isActive(LUA), "the node down");
    FakeLuaServer restarted = server(1, port);
    await(() -> nodes.isActive(LUA, 1), "the node up again");

    assertThat(nodes.template().module(LUA, "interop_m").call("add", Integer.class, 1, 1)).isEqualTo(2);
    await(() -> events.equals(List.of("up lua:1", "down lua:1", "up lua:1")), "down then up told");
    assertThat(restarted.handshakes).hasSize(1);
  }

  @Test
  void aNodeDownAtStartBecomesActiveWhenItComesUp() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SkynetNodes nodes = SkynetNodes.builder("java", 9)
        .reconnectDelay(Duration.ofMillis(100)).node(SkynetRemoteNode.of(LUA, 1, "127.0.0.1:" + port)).build();
    try (nodes) {
      nodes.start();
      Thread.sleep(300);
      assertThat(nodes.isActive(LUA)).isFalse();

      server(1, port);

      await(() -> nodes.isActive(LUA, 1), "the node up");
    }
  }

  @Test
  void aClosedClientNoLongerReconnects() throws Exception {
    FakeLuaServer lua = server(1);
    SkynetNodes nodes = connected(client(lua), 1);

    nodes.close();
    lua.dropConnections();
    Thread.sleep(400);

    assertThat(lua.handshakes).hasSize(1);
  }

  @Test
  void eachNodeOfTheMapHasItsOwnConnection() {
    FakeLuaServer one = server(1);
    FakeLuaServer two = server(2);

    SkynetNodes nodes = connected(one, two);

    assertThat(nodes.activeNodeIds(LUA)).containsExactly(1, 2);
    assertThat(one.handshakes).hasSize(1);
    assertThat(two.handshakes).hasSize(1);
  }

  @Test
  void aNodeGivenTwiceIsRefused() {
    assertThatThrownBy(() -> SkynetNodes.builder("java", 9).node(SkynetRemoteNode.of(LUA, 1, "127.0.0.1:1"))
        .node(SkynetRemoteNode.of(LUA, 1, "127.0.0.1:2")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lua:1");
  }

  @Test
  void anAddressWithoutPortIsRefusedNamingTheNode() {
    assertThatThrownBy(() -> SkynetRemoteNode.of(LUA, 3, "localhost"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lua:3").hasMessageContaining("host:port");
  }
}
