package io.frpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.RemoteCallException;
import io.frpc.RemoteErrorCode;
import io.frpc.client.FrpcClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A caller tested alone, against a stub of the node it calls. */
class FrpcStubTest {

  @RegisterExtension
  final FrpcCluster cluster = FrpcCluster.create();

  public record RoomView(long room, List<String> players) {
  }

  @FrpcClient(node = "game", module = "room_m")
  public interface RoomClient {
    RoomView join(long room, String player);
  }

  /** The code under test: it calls game's room_m through a typed client. */
  static final class Lobby {
    private final RoomClient rooms;

    Lobby(RoomClient rooms) {
      this.rooms = rooms;
    }

    String seat(long room, String player) {
      return player + " sits with " + rooms.join(room, player).players();
    }
  }

  @Test
  void aStubAnswersWithTheGivenValueDecodedIntoTheCallersType() {
    FrpcStub game = cluster.stub("game", 1)
        .module("room_m").answers("join", args -> new RoomView(((Number) args.get(0)).longValue(),
            List.of("zoe", (String) args.get(1))));
    game.start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    assertThat(new Lobby(lobby.client(RoomClient.class)).seat(42, "alice")).isEqualTo("alice sits with [zoe, alice]");
    assertThat(game.received("room_m", "join")).containsExactly(List.of(42, "alice"));
  }

  @Test
  void aStubReceivesRecordsAsMapsOfTheirFields() {
    FrpcStub game = cluster.stub("game", 1).module("room_m").answers("save", args -> true);
    game.start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    assertThat(lobby.template().module("game", "room_m").call("save", Boolean.class, new RoomView(7, List.of("a"))))
        .isTrue();
    assertThat(game.received("room_m", "save")).containsExactly(List.of(Map.of("room", 7, "players", List.of("a"))));
  }

  @Test
  void aStubbedErrorReachesTheCallerAsTheCommandsFailure() {
    cluster.stub("game", 1)
        .module("room_m").fails("join", new IOException("the room is full"))
        .module("hello").answers("ping", args -> "pong")
        .start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    assertThatThrownBy(() -> lobby.client(RoomClient.class).join(1, "bob"))
        .isInstanceOfSatisfying(RemoteCallException.class, failure -> {
          assertThat(failure.code()).isEqualTo(RemoteErrorCode.COMMAND_FAILED);
          assertThat(failure.remoteType()).isEqualTo(IOException.class.getName());
          assertThat(failure.remoteMessage()).isEqualTo("the room is full");
        });
    assertThat(lobby.template().module("game", "hello").call("ping", String.class)).isEqualTo("pong");
  }

  @Test
  void aCommandTheStubDoesNotAnswerIsUnknown() {
    cluster.stub("game", 1).module("hello").answers("ping", args -> "pong").start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    assertThatThrownBy(() -> lobby.template().module("game", "hello").call("pang", String.class))
        .isInstanceOfSatisfying(RemoteCallException.class,
            failure -> assertThat(failure.code()).isEqualTo(RemoteErrorCode.UNKNOWN_COMMAND))
        .hasMessageContaining("ping");
  }

  @Test
  void aStubWithoutModulesOrAnswersAfterStartIsRefused() {
    FrpcStub stub = cluster.stub("game", 1);
    assertThatThrownBy(stub::start).hasMessageContaining("serves no module");
    assertThatThrownBy(() -> stub.answers("ping", args -> "pong")).hasMessageContaining("name the module first");

    stub.module("hello").answers("ping", args -> "pong").start();

    assertThatThrownBy(() -> stub.answers("pang", args -> "pong")).hasMessageContaining("its answers are fixed");
  }
}
