package io.frpc.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.frpc.AllNodesReply;
import io.frpc.FrpcCall;
import io.frpc.FrpcIgnore;
import io.frpc.FrpcInstance;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.HandlerDefinition;
import io.frpc.InstanceReply;
import io.frpc.ModuleCall;
import io.frpc.NoNodeConnectedException;
import io.frpc.NodeId;
import io.frpc.OverloadedException;
import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.ReplyBindingException;
import io.frpc.UnknownNodeNameException;
import io.frpc.discovery.StaticNodeDiscovery.HostPort;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/**
 * What a user of the 1.0 API relies on, written against the public types only: one test per problem a
 * new user met (issue 7), each failing on the code before it.
 */
class PublicApiTest {

  private final Cluster cluster = new Cluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  /** Module "room_m", group "rooms": joins rooms. */
  public static final class Rooms {
    private final FrpcInstance self;

    public Rooms(FrpcInstance self) {
      this.self = self;
    }

    public String join(long roomId) {
      return self.toString();
    }

    public String whoami() {
      return self.node().id() + "/" + self.index();
    }
  }

  /** Module "room_m", group "match": shares no command with "rooms". */
  public static final class Match {
    public String find(long playerId) {
      return "match";
    }
  }

  @Test
  void aNodeNameDiscoveryCannotReportFailsAtOnceNamingThePropertyAndTheLikelyName() {
    FrpcNode caller = cluster.started(cluster.callerBuilder(Duration.ofSeconds(3),
        Map.of(new NodeId("game", 1), new HostPort("127.0.0.1", 1))));
    FrpcTemplate frpc = caller.template();
    long started = System.nanoTime();

    assertThatThrownBy(() -> frpc.module("gaem", "room_m").call("join", String.class, 1L))
        .isInstanceOf(UnknownNodeNameException.class)
        .isInstanceOf(NoNodeConnectedException.class)
        .hasMessageContaining("'gaem'")
        .hasMessageContaining("frpc.discovery.static.nodes")
        .hasMessageContaining("did you mean 'game'?");
    assertThatThrownBy(() -> frpc.module("gaem", "room_m").allNodes().call("join", String.class, 1L))
        .isInstanceOf(UnknownNodeNameException.class);
    assertThatThrownBy(() -> frpc.module("lobby", "room_m").send("join", 1L).join())
        .hasCauseInstanceOf(UnknownNodeNameException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void withoutAnInstanceNameOnlyTheInstancesServingTheCommandAreChosen() {
    FrpcNode game = cluster.server("game", 1,
        HandlerDefinition.of("room_m", "match", 2, self -> new Match()),
        HandlerDefinition.of("room_m", "rooms", 4, Rooms::new));
    ModuleCall rooms = cluster.caller(Duration.ofSeconds(3), game).template().module("game", "room_m");

    Set<String> reached = new HashSet<>();
    for (long key = 0; key < 40; key++) {
      reached.add(rooms.mod(key).call("join", String.class, key));
      reached.add(rooms.call("join", String.class, key));
    }
    assertThat(reached).containsExactlyInAnyOrder("room_m[rooms]#0@game:1", "room_m[rooms]#1@game:1", "room_m[rooms]#2@game:1",
        "room_m[rooms]#3@game:1");
    assertThat(rooms.broadcast().call("join", String.class, 1L))
        .extracting(InstanceReply::instanceName, InstanceReply::index)
        .containsExactlyInAnyOrder(tuple("rooms", 0),
            tuple("rooms", 1), tuple("rooms", 2),
            tuple("rooms", 3));
    assertThat(rooms.call("find", String.class, 7L)).isEqualTo("match");
    assertThatThrownBy(() -> rooms.call("leave", String.class))
        .isInstanceOfSatisfying(RemoteCallException.class,
            e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_COMMAND))
        .hasMessageContaining("'match': find")
        .hasMessageContaining("'rooms': join, whoami");
  }

  @Test
  void modWithoutANodeIdSpreadsKeysOverEveryNodeAndInstancePairAndSticks() throws Exception {
    FrpcNode game1 = cluster.server("game", 1, HandlerDefinition.of("room_m", null, 4, Rooms::new));
    FrpcNode game2 = cluster.server("game", 2, HandlerDefinition.of("room_m", null, 4, Rooms::new));
    ModuleCall rooms = cluster.caller(Duration.ofSeconds(3), game1, game2).template().module("game", "room_m");

    Set<String> pairs = new HashSet<>();
    for (long key = 0; key < 64; key++) {
      String first = rooms.mod(key).call("whoami", String.class);
      assertThat(rooms.mod(key).callAsync("whoami", String.class).get(5, TimeUnit.SECONDS))
          .as("key %d sticks", key).isEqualTo(first);
      pairs.add(first);
    }
    assertThat(pairs).containsExactlyInAnyOrder("1/0", "1/1", "1/2", "1/3", "2/0", "2/1", "2/2", "2/3");
    Set<String> onNode2 = new HashSet<>();
    for (long key = 0; key < 8; key++) {
      onNode2.add(rooms.node(2).mod(key).call("whoami", String.class));
    }
    assertThat(onNode2).containsExactlyInAnyOrder("2/0", "2/1", "2/2", "2/3");
  }

  /** A base class whose public methods are commands of every subclass. */
  public abstract static class BaseHandler {
    public String inherited() {
      return "inherited";
    }
  }

  /** Everything but the handler's own and inherited public methods stays private. */
  public interface WithDefault {
    default String fromInterface() {
      return "interface";
    }
  }

  public static final class Exposure extends BaseHandler implements WithDefault {
    public String own() {
      return "own";
    }

    @FrpcIgnore
    public String internalOnly() {
      return "hidden";
    }

    public static String utility() {
      return "static";
    }
  }

  @Test
  void onlyTheHandlersOwnAndInheritedPublicMethodsAreCommands() {
    FrpcNode game = cluster.server("game", 1, HandlerDefinition.of("x_m", null, 1, self -> new Exposure()));
    ModuleCall x = cluster.caller(Duration.ofSeconds(3), game).template().module("game", "x_m");

    assertThat(x.call("own", String.class)).isEqualTo("own");
    assertThat(x.call("inherited", String.class)).isEqualTo("inherited");
    for (String hidden : List.of("internalOnly", "utility", "fromInterface", "toString", "hashCode", "getClass")) {
      assertThatThrownBy(() -> x.call(hidden, String.class)).as(hidden)
          .isInstanceOfSatisfying(RemoteCallException.class,
              e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.UNKNOWN_COMMAND));
    }
  }

  /** Fails every call. */
  public static final class Failing {
    public void explode() {
      throw new IllegalStateException("boom");
    }
  }

  @Test
  void sendNeverBlocksItsCallerAndItsFutureReportsOnlyWhetherItWasWritten() throws Exception {
    FrpcNode game = cluster.server("game", 1, HandlerDefinition.of("f_m", null, 1, self -> new Failing()));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    FrpcNode caller = cluster.started(cluster.callerBuilder(Duration.ofSeconds(2), Map.of(
        game.id(), new HostPort("127.0.0.1", game.listenAddress().getPort()),
        new NodeId("game", 2), new HostPort("127.0.0.1", closedPort))));
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.template().isActive("game", 1));
    ModuleCall f = caller.template().module("game", "f_m");

    long started = System.nanoTime();
    CompletableFuture<Void> toMissing = f.node(2).send("explode");
    CompletableFuture<AllNodesReply<Void>> toAll = f.allNodes().send("explode");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("send returns at once")
        .isLessThan(Duration.ofMillis(500));
    assertThatThrownBy(() -> toMissing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(NoNodeConnectedException.class);
    assertThat(toAll.get(10, TimeUnit.SECONDS).replies()).containsOnlyKeys(1);
    // the remote exception is logged there, never reported to the sender
    assertThat(f.send("explode").get(10, TimeUnit.SECONDS)).isNull();
  }

  /** Tells who it is and who called. */
  public static final class Who {
    private final FrpcInstance self;

    public Who(FrpcInstance self) {
      this.self = self;
    }

    public String whoami() {
      FrpcCall call = FrpcCall.current();
      return self + " for " + call.caller() + " running " + call.command() + " on " + call.instance().index();
    }

    public String name() {
      return "not a number";
    }
  }

  @Test
  void aHandlerKnowsItsInstanceAndDuringACallItsCaller() {
    FrpcNode game = cluster.server("game", 1, HandlerDefinition.of("who_m", "w", 2, Who::new));
    ModuleCall who = cluster.caller(Duration.ofSeconds(3), game).template().module("game", "who_m");

    assertThat(who.broadcast().call("whoami", String.class)).extracting(InstanceReply::value)
        .containsExactlyInAnyOrder("who_m[w]#0@game:1 for caller:1 running whoami on 0",
            "who_m[w]#1@game:1 for caller:1 running whoami on 1");
    assertThatThrownBy(FrpcCall::current).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aReplyThatDoesNotBindToTheRequestedTypeIsAReplyBindingException() {
    FrpcNode game = cluster.server("game", 1, HandlerDefinition.of("who_m", null, 1, Who::new));
    ModuleCall who = cluster.caller(Duration.ofSeconds(3), game).template().module("game", "who_m");

    assertThatThrownBy(() -> who.call("name", Integer.class))
        .isInstanceOfSatisfying(ReplyBindingException.class, e -> {
          assertThat(e.node()).isEqualTo(game.id());
          assertThat(e.resultType().getTypeName()).contains("Integer");
        });
    assertThatThrownBy(() -> who.broadcast().call("name", new TypeReference<List<Integer>>() { }))
        .isInstanceOf(ReplyBindingException.class);
  }

  /** Blocks until released. */
  public static final class Gate {
    static final CountDownLatch OPEN = new CountDownLatch(1);

    public void block() throws InterruptedException {
      OPEN.await(10, TimeUnit.SECONDS);
    }

    public String ping() {
      return "pong";
    }
  }

  @Test
  void overloadIsTheSameExceptionInEveryCallMode() throws Exception {
    FrpcNode game = cluster.server("game", 1,
        HandlerDefinition.of("gate_m", null, 1, self -> new Gate()).withMailboxCapacity(1));
    FrpcNode caller = cluster.caller(Duration.ofSeconds(3), game);
    ModuleCall gate = caller.template().module("game", "gate_m");
    try {
      gate.send("block").get(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5))
          .until(() -> game.requestsInFlight() == 1);

      assertThatThrownBy(() -> gate.call("ping", String.class)).isInstanceOfSatisfying(OverloadedException.class,
          e -> assertThat(e.code()).isEqualTo(RemoteErrorCode.OVERLOADED));
      assertThatThrownBy(() -> gate.callAsync("ping", String.class).join())
          .hasCauseInstanceOf(OverloadedException.class);
      assertThat(gate.broadcast().call("ping", String.class))
          .singleElement().satisfies(reply -> assertThat(reply.error()).isInstanceOf(OverloadedException.class));
      assertThat(gate.allNodes().call("ping", String.class).failures().get(1))
          .isInstanceOf(OverloadedException.class);
    } finally {
      Gate.OPEN.countDown();
    }
  }

  @Test
  void genericResultTypesWorkInEveryAsynchronousMode() throws Exception {
    FrpcNode game = cluster.server("game", 1, HandlerDefinition.of("room_m", null, 2, Rooms::new));
    ModuleCall rooms = cluster.caller(Duration.ofSeconds(3), game).template().module("game", "room_m");
    TypeReference<String> text = new TypeReference<>() { };

    assertThat(rooms.callAsync("whoami", text).get(5, TimeUnit.SECONDS)).startsWith("1/");
    assertThat(rooms.broadcast().callAsync("whoami", text).get(5, TimeUnit.SECONDS)).hasSize(2);
    assertThat(rooms.allNodes().callAsync("whoami", text).get(5, TimeUnit.SECONDS).replies()).containsOnlyKeys(1);
    assertThat(rooms.allNodes().broadcast().callAsync("whoami", text).get(5, TimeUnit.SECONDS).replies().get(1))
        .hasSize(2);
  }
}
