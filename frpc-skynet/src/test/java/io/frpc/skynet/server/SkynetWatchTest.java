package io.frpc.skynet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.Transport;
import io.frpc.skynet.LuaBoolean;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.handshake.SkynetSecurity;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A skynet_fly node's watch connection to a SkynetServer: subscriptions to the Java node's channels and state sync,
 * the pushes skynet_fly's frpc_server would send, with each security configuration of the subscriber.
 */
class SkynetWatchTest {

  private final EventLoopGroup clients = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private FrpcNode node;
  private SkynetServer server;

  record Score(String player, int points) {
  }

  @BeforeEach
  void start() {
    node = FrpcNode.builder("java_s", 1).transport(Transport.IN_JVM).build();
    node.start();
  }

  @AfterEach
  void stop() {
    server.close();
    node.close();
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * A watch connection of a skynet_fly node configured as {@code security}: no secret, a secret key alone (its
   * watch connection is then encrypted, as skynet_fly's client does), or a secret key and encryption.
   */
  private LuaPeer watcher(String security) throws Exception {
    SkynetSecurity settings = switch (security) {
      case "none" -> SkynetSecurity.NONE;
      case "secret" -> new SkynetSecurity("k", false);
      default -> new SkynetSecurity("k", true);
    };
    server = SkynetServer.builder(node).listen("127.0.0.1", 0).security(settings.secretKey(), settings.encrypt())
        .build();
    server.start();
    LuaPeer watcher = new LuaPeer(clients, server.address(), settings, true).ready();
    assertThat(watcher.handshake.get().encryptPayloads()).isEqualTo(!security.equals("none"));
    return watcher;
  }

  private static List<LuaValue> payload(SkynetPush push) {
    return LuaPeer.PACK.unpack(push.payload());
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void messagesReachASubscriberUntilItUnsubscribes(String security) throws Exception {
    try (LuaPeer lua = watcher(security)) {
      lua.request(PackIds.SUB, "", "", 0, false, LuaString.of("scores"), new LuaInteger(77), LuaString.of("hall:1"));
      SkynetPush ack = lua.next(SkynetPush.class);
      assertThat(ack.packId()).isEqualTo(PackIds.SUB);
      assertThat(ack.channelName()).isEqualTo("scores");
      assertThat(payload(ack)).containsExactly(new LuaInteger(77), LuaString.of("hall:1"));

      await().atMost(Duration.ofSeconds(10)).until(() -> node.publisher().hasSubscribers("scores"));
      assertThat(node.publisher().publish("scores", new Score("ann", 3))).isEqualTo(1);
      SkynetPush message = lua.next(SkynetPush.class);
      assertThat(message.packId()).isEqualTo(PackIds.PUBLISH);
      assertThat(message.session()).isGreaterThan(ack.session());
      assertThat(payload(message)).containsExactly(LuaTable.builder().put("player", LuaString.of("ann"))
          .put("points", new LuaInteger(3)).build());

      lua.request(PackIds.UNSUB, "", "", 0, false, LuaString.of("scores"), new LuaInteger(77), LuaString.of("hall:1"));
      assertThat(lua.next(SkynetPush.class).packId()).isEqualTo(PackIds.UNSUB);
      assertThat(node.publisher().publish("scores", new Score("bob", 1))).isZero();
    }
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void stateSyncPushesEachVersionTheSubscriberAsksFor(String security) throws Exception {
    node.publisher().publishState("room:1:owner", "ann");
    try (LuaPeer lua = watcher(security)) {
      // knows no version: the current one at once, its value packed inside a string as skynet_fly's pubsyn does
      lua.request(PackIds.SUBSYN, "", "", 0, false, LuaString.of("room:1:owner"), new LuaInteger(0));
      SkynetPush first = lua.next(SkynetPush.class);
      assertThat(first.packId()).isEqualTo(PackIds.SUBSYN);
      List<LuaValue> versioned = payload(first);
      assertThat(versioned.get(0)).isEqualTo(new LuaInteger(1));
      assertThat(LuaPeer.PACK.unpack(((LuaString) versioned.get(1)).bytes())).containsExactly(LuaString.of("ann"));

      // has version 1: nothing until a newer one, then one push, then nothing until it asks again
      lua.request(PackIds.SUBSYN, "", "", 0, false, LuaString.of("room:1:owner"), new LuaInteger(1));
      node.publisher().publishState("room:1:owner", "bob");
      node.publisher().publishState("room:1:owner", "cid");
      SkynetPush next = lua.next(SkynetPush.class);
      assertThat(payload(next).get(0)).isIn(new LuaInteger(2), new LuaInteger(3));
      lua.request(PackIds.SUBSYN, "", "", 0, false, LuaString.of("room:1:owner"),
          payload(next).get(0));
      if (payload(next).get(0).equals(new LuaInteger(2))) {
        assertThat(payload(lua.next(SkynetPush.class)).get(0)).isEqualTo(new LuaInteger(3));
      }
      assertThat(lua.received.poll(300, TimeUnit.MILLISECONDS)).as("nothing it did not ask for").isNull();
    }
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void aPatternSubscriberLearnsTheMatchingStateChannels(String security) throws Exception {
    node.publisher().publishState("room:1:owner", "ann");
    try (LuaPeer lua = watcher(security)) {
      lua.request(PackIds.PSUBSYN, "", "", 0, false, LuaString.of("room:*:owner"), new LuaInteger(0));
      SkynetPush first = lua.next(SkynetPush.class);
      assertThat(first.packId()).isEqualTo(PackIds.PSUBSYN);
      assertThat(payload(first)).containsExactly(new LuaInteger(1),
          LuaTable.builder().put("room:1:owner", LuaBoolean.TRUE).build());

      lua.request(PackIds.PSUBSYN, "", "", 0, false, LuaString.of("room:*:owner"), new LuaInteger(1));
      node.publisher().publishState("room:1:owner", "bob");
      node.publisher().publishState("room:2:owner", "cid");
      SkynetPush second = lua.next(SkynetPush.class);
      assertThat(payload(second).get(0)).isEqualTo(new LuaInteger(2));
      assertThat(((LuaTable) payload(second).get(1)).hash()).containsOnlyKeys(LuaString.of("room:1:owner"),
          LuaString.of("room:2:owner"));
    }
  }

  @ParameterizedTest(name = "security: {0}")
  @ValueSource(strings = {"none", "secret", "encrypt"})
  void closingTheWatchConnectionEndsItsSubscriptions(String security) throws Exception {
    LuaPeer lua = watcher(security);
    lua.request(PackIds.SUB, "", "", 0, false, LuaString.of("scores"), new LuaInteger(1), LuaString.of("a"));
    lua.next(SkynetPush.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.publisher().hasSubscribers("scores"));
    lua.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !node.publisher().hasSubscribers("scores"));
  }
}
