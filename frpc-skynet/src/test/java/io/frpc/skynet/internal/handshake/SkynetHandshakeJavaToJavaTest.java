package io.frpc.skynet.internal.handshake;

import static io.frpc.skynet.internal.handshake.HandshakeChannels.counter;
import static io.frpc.skynet.internal.handshake.HandshakeChannels.shuttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.frpc.skynet.internal.frame.SkynetResponse;
import io.frpc.skynet.internal.handshake.HandshakeChannels.Recorder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our client against our server over embedded connections: the handshake completes in every configuration on both
 * kinds of connection, both sides derive the same key, and calls, results, errors and pushes cross the payload
 * cipher; configurations that differ fail on both sides with the reason.
 */
class SkynetHandshakeJavaToJavaTest {

  private static final SkynetPack PACK = SkynetPack.create();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Recorder clientSide = new Recorder();
  private final Recorder serverSide = new Recorder();
  private EmbeddedChannel client;
  private EmbeddedChannel server;

  @AfterEach
  void finish() {
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  static Stream<Arguments> configurations() {
    return Stream.of(SkynetSecurity.NONE, new SkynetSecurity("k3y", false), new SkynetSecurity(null, true),
        new SkynetSecurity("k3y", true)).flatMap(security -> Stream.of(Arguments.of(security, false),
        Arguments.of(security, true)));
  }

  private void connect(SkynetSecurity clientSecurity, SkynetSecurity serverSecurity, boolean watch, long seed) {
    server = HandshakeChannels.server(new SkynetServerHandshake(serverSecurity, new SplittableRandom(seed),
        TIMEOUT), serverSide);
    client = HandshakeChannels.client(new SkynetClientHandshake("java_c", 3, clientSecurity, watch, counter(),
        new SplittableRandom(seed + 1), TIMEOUT), clientSide);
    shuttle(client, server);
  }

  @ParameterizedTest(name = "{0} watch={1}")
  @MethodSource("configurations")
  void theHandshakeCompletesAndBothSidesHoldTheSameKey(SkynetSecurity security, boolean watch) {
    for (long seed = 1; seed <= 20; seed++) {
      Recorder clientEvents = new Recorder();
      Recorder serverEvents = new Recorder();
      EmbeddedChannel server = HandshakeChannels.server(new SkynetServerHandshake(security,
          new SplittableRandom(seed), TIMEOUT), serverEvents);
      EmbeddedChannel client = HandshakeChannels.client(new SkynetClientHandshake("java_c", 3, security, watch,
          counter(), new SplittableRandom(-seed), TIMEOUT), clientEvents);
      shuttle(client, server);

      assertThat(clientEvents.errors).isEmpty();
      assertThat(serverEvents.errors).isEmpty();
      SkynetHandshakeCompleted completed = (SkynetHandshakeCompleted) clientEvents.events.get(0);
      // a challenged watch connection is encrypted also without is_encrypt, as skynet_fly's client has it
      assertThat(completed.encryptPayloads()).isEqualTo(security.encrypt() || watch && security.challenged());
      assertThat(completed.desKey() != null).isEqualTo(security.challenged());
      assertThat(serverEvents.events).containsExactly(new SkynetPeerIdentified("java_c", 3, watch,
          completed.desKey(), completed.encryptPayloads()));
      assertThat(client.isOpen() && server.isOpen()).isTrue();
      client.finishAndReleaseAll();
      server.finishAndReleaseAll();
    }
    client = new EmbeddedChannel();
    server = new EmbeddedChannel();
  }

  static Stream<SkynetSecurity> securities() {
    return configurations().filter(arguments -> arguments.get()[1].equals(false))
        .map(arguments -> (SkynetSecurity) arguments.get()[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("securities")
  void callsResultsAndErrorsCrossTheConnectionAsSent(SkynetSecurity security) {
    connect(security, security, false, 7);
    SkynetRequest call = new SkynetRequest(200, "m", "", 100, 0, true, PACK.pack(LuaValue.of("add"),
        LuaValue.of(1), LuaValue.of(2)));
    SkynetRequest send = new SkynetRequest(100, "m", "", 101, 0, false, PACK.pack(LuaValue.of("note")));
    SkynetResponse result = new SkynetResponse(100, true, PACK.pack(LuaValue.of(3)));
    SkynetResponse noResults = new SkynetResponse(102, true, new byte[0]);
    SkynetResponse error = new SkynetResponse(103, false, "call err x".getBytes(StandardCharsets.UTF_8));

    client.writeAndFlush(call);
    client.writeAndFlush(send);
    shuttle(client, server);
    assertThat(serverSide.messages).containsExactly(call, send);
    server.writeAndFlush(result);
    server.writeAndFlush(noResults);
    server.writeAndFlush(error);
    shuttle(client, server);
    assertThat(clientSide.messages).containsExactly(result, noResults, error);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("securities")
  void pushesCrossTheWatchConnectionAsSent(SkynetSecurity security) {
    connect(security, security, true, 8);
    HandshakeChannels.expectPushes(client);
    SkynetRequest sub = new SkynetRequest(11, "", "", 50, 0, false, PACK.pack(LuaValue.of("chan"), LuaValue.of(9),
        LuaValue.of("u")));
    SkynetPush ack = new SkynetPush(11, 1, "chan", PACK.pack(LuaValue.of(9), LuaValue.of("u")));

    client.writeAndFlush(sub);
    shuttle(client, server);
    assertThat(serverSide.messages).containsExactly(sub);
    server.writeAndFlush(ack);
    shuttle(client, server);
    assertThat(clientSide.messages).containsExactly(ack);
  }

  @Test
  void aClientWithoutSecretAtAServerWithOneFailsOnBothSides() {
    connect(SkynetSecurity.NONE, new SkynetSecurity("k3y", false), false, 1);
    assertThat(server.isOpen() || client.isOpen()).isFalse();
    assertThat(serverSide.errors).singleElement().extracting(Throwable::getMessage).asString()
        .contains("without the challenge");
    assertThat(clientSide.errors).singleElement().extracting(Throwable::getMessage).asString()
        .contains("closed the connection during the identity");
  }

  @Test
  void aClientWithASecretAtAServerWithoutFailsOnBothSides() {
    connect(new SkynetSecurity("k3y", false), SkynetSecurity.NONE, false, 1);
    assertThat(server.isOpen() || client.isOpen()).isFalse();
    assertThat(serverSide.errors).singleElement().extracting(Throwable::getMessage).asString()
        .contains("it began the challenge");
    assertThat(clientSide.errors).singleElement().extracting(Throwable::getMessage).asString()
        .contains("closed the connection during step 1");
  }

  @Test
  void aWrongSecretFailsOnBothSides() {
    connect(new SkynetSecurity("wrong", true), new SkynetSecurity("k3y", true), false, 1);
    assertThat(server.isOpen() || client.isOpen()).isFalse();
    assertThat(serverSide.errors).singleElement().extracting(Throwable::getMessage).asString()
        .contains("secret_key differs");
    assertThat(clientSide.errors).singleElement().extracting(Throwable::getMessage).asString()
        .contains("refused our secret key");
    assertThat(clientSide.events).isEmpty();
    assertThat(serverSide.events).isEmpty();
  }
}
