package io.frpc.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.NodeDownReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "Testing your code" example, run; and the README still shows it as it is here. */
class ReadmeExampleTest {

  public record RoomView(long room, List<String> players) {
  }

  public static final class RoomModule {
    private final List<String> players = new ArrayList<>();

    public RoomView join(long room, String player) {
      players.add(player);
      return new RoomView(room, List.copyOf(players));
    }
  }

  // README begin
  @RegisterExtension
  final FrpcCluster cluster = FrpcCluster.create(); // in-JVM nodes, closed after each test

  @Test
  void lobbyCallsTheRoomModule() {
    cluster.node("game", 1).handler("room_m", new RoomModule()).start();
    ClusterNode lobby = cluster.node("lobby", 1).start(); // connected to game:1 once start() returns

    RoomView room = lobby.template().module("game", "room_m").call("join", RoomView.class, 42L, "alice");
    assertThat(room.players()).containsExactly("alice");
  }

  @Test
  void lobbyAgainstAStubOfGame() {
    FrpcStub game = cluster.stub("game", 1).module("room_m")
        .answers("join", args -> new RoomView(42, List.of("zoe", (String) args.get(1))));
    game.start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    RoomView room = lobby.template().module("game", "room_m").call("join", RoomView.class, 42L, "bob");
    assertThat(room.players()).containsExactly("zoe", "bob");
    assertThat(game.received("room_m", "join")).containsExactly(List.of(42, "bob"));
  }

  @Test
  void lobbySeesAKilledGameNodeGo() {
    ClusterNode game = cluster.node("game", 1).start();
    ClusterNode lobby = cluster.node("lobby", 1).start();

    game.kill(); // abrupt, as kill -9: no goodbye on the connections
    assertThat(lobby.awaitDown("game", 1)).isEqualTo(NodeDownReason.CONNECTION_LOST);
  }
  // README end

  @Test
  void theReadmeShowsThisExampleAsItIs() throws IOException {
    List<String> source = Files.readAllLines(Path.of("src", "test", "java", "io", "frpc", "test",
        "ReadmeExampleTest.java"));
    List<String> example = source.subList(source.indexOf("  // README begin") + 1,
        source.indexOf("  // README end")).stream().map(line -> line.isEmpty() ? line : line.substring(2)).toList();
    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(readme).contains(String.join("\n", example));
  }
}
