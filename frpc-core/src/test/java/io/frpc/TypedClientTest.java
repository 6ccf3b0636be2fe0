package io.frpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.client.AllNodes;
import io.frpc.client.Broadcast;
import io.frpc.client.FrpcClient;
import io.frpc.client.Mod;
import io.frpc.client.Node;
import io.frpc.client.Send;
import io.frpc.client.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typed clients over real connections: every return shape and routing annotation, and invalid interfaces. */
class TypedClientTest {

  public record Player(String name, int level) {
  }

  public record Room(long id, List<Player> players) {
  }

  /** Module "room_m" of the game nodes. */
  public static final class Rooms {
    static final Set<String> left = ConcurrentHashMap.newKeySet();
    private final FrpcInstance self;

    public Rooms(FrpcInstance self) {
      this.self = self;
    }

    public String join(long roomId, String player) {
      return player + " in " + roomId + " at " + whoami();
    }

    public String whoami() {
      return self.node() + "/" + self.index();
    }

    public List<Player> players() {
      return List.of(new Player("ann", 3), new Player("bob", 7));
    }

    public Map<String, Room> rooms() {
      return Map.of("lobby", new Room(1, players()));
    }

    public void leaveAll(String player) {
      left.add(player + "@" + whoami());
    }

    public String slow(int millis) throws InterruptedException {
      Thread.sleep(millis);
      return "late";
    }

    public void fail() {
      throw new IllegalStateException("no");
    }
  }

  @FrpcClient(node = "game", module = "room_m")
  public interface RoomClient {
    String join(@Mod long roomId, String player);

    @FrpcCommand("join")
    CompletableFuture<String> joinLater(@Mod long roomId, String player);

    List<Player> players();

    Map<String, Room> rooms();

    String whoami(@Node int id);

    @FrpcCommand("whoami")
    String whoamiByKey(@Mod(argument = false) long key);

    @Broadcast
    @FrpcCommand("whoami")
    List<InstanceReply<String>> everyInstance(@Node int id);

    @AllNodes
    @FrpcCommand("whoami")
    AllNodesReply<String> everyNode();

    @AllNodes
    @Broadcast
    @FrpcCommand("whoami")
    CompletableFuture<AllNodesReply<List<InstanceReply<String>>>> everywhere();

    @Send
    void leaveAll(String player);

    @Send
    @FrpcCommand("leaveAll")
    CompletableFuture<Void> leaveAllWritten(String player);

    @Timeout(millis = 300)
    String slow(int millis);

    Void fail();

    default String greeting() {
      return "hello from " + whoami(1);
    }
  }

  private TestNode game1;
  private TestNode game2;
  private TestNode caller;

  @BeforeEach
  void start() {
    game1 = TestNode.inJvm("game", 1).handler(HandlerDefinition.of("room_m", "rooms", 2, Rooms::new)).start();
    game2 = TestNode.inJvm("game", 2).handler(HandlerDefinition.of("room_m", "rooms", 2, Rooms::new)).start();
    caller = TestNode.inJvm("caller", 1).start().connectedTo(game1).connectedTo(game2);
  }

  @AfterEach
  void stop() {
    caller.close();
    game1.close();
    game2.close();
  }

  @Test
  void everyReturnShapeAndRoutingWorksOverRealConnections() throws Exception {
    RoomClient rooms = caller.frpc.client(RoomClient.class);

    // @Mod: sticky node and instance per key, and the key is still an argument
    String first = rooms.join(42, "ann");
    assertThat(first).startsWith("ann in 42 at ");
    assertThat(rooms.join(42, "bob")).endsWith(first.substring(first.indexOf(" at ")));
    assertThat(rooms.joinLater(42, "cid").get(5, TimeUnit.SECONDS)).endsWith(first.substring(first.indexOf(" at ")));

    // generic results
    assertThat(rooms.players()).containsExactly(new Player("ann", 3), new Player("bob", 7));
    assertThat(rooms.rooms()).containsEntry("lobby", new Room(1, List.of(new Player("ann", 3), new Player("bob", 7))));

    // @Mod(argument = false): routes only
    assertThat(rooms.whoamiByKey(7)).isEqualTo(rooms.whoamiByKey(7));

    // @Node: that node only, not sent as an argument
    assertThat(rooms.whoami(2)).startsWith("game:2/");
    assertThat(rooms.everyInstance(1)).extracting(InstanceReply::value).containsExactlyInAnyOrder("game:1/0",
        "game:1/1");
    assertThat(rooms.everyNode().replies()).containsOnlyKeys(1, 2);
    AllNodesReply<List<InstanceReply<String>>> everywhere = rooms.everywhere().get(5, TimeUnit.SECONDS);
    assertThat(everywhere.replies().get(2)).extracting(InstanceReply::value).containsExactlyInAnyOrder("game:2/0",
        "game:2/1");

    // sends
    rooms.leaveAll("dan");
    rooms.leaveAllWritten("eve").get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> Rooms.left.stream().anyMatch(s -> s.startsWith("dan@"))
        && Rooms.left.stream().anyMatch(s -> s.startsWith("eve@")));

    // errors surface as the same typed exceptions
    assertThatThrownBy(() -> rooms.slow(2_000)).isInstanceOf(CallTimeoutException.class);
    assertThatThrownBy(rooms::fail).isInstanceOf(RemoteCallException.class).hasMessageContaining("no");

    // default methods and Object methods
    assertThat(rooms.greeting()).startsWith("hello from game:1/");
    assertThat(rooms.toString()).contains("RoomClient", "room_m");
    assertThat(rooms).isEqualTo(rooms);
  }

  @FrpcClient(node = "game", module = "room_m")
  interface TwoKeys {
    String join(@Mod long roomId, @Mod long other);
  }

  @FrpcClient(node = "game", module = "room_m")
  interface StringKey {
    String join(@Mod String roomId);
  }

  @FrpcClient(node = "game", module = "room_m")
  interface VoidCall {
    void leaveAll(String player);
  }

  @FrpcClient(node = "game", module = "room_m")
  interface Overloaded {
    String join(long roomId);

    String join(long roomId, String player);
  }

  @FrpcClient(node = "game", module = "room_m")
  interface NodeOnAll {
    @AllNodes
    AllNodesReply<String> whoami(@Node int id);
  }

  @FrpcClient(node = "game", module = "room_m")
  interface WrongBroadcast {
    @Broadcast
    String whoami();
  }

  interface NotAnnotated {
    String whoami();
  }

  @FrpcClient(node = "game", module = "room_m")
  interface IdempotentSend {
    @Send
    @FrpcCommand(idempotent = true)
    void leaveAll(String player);
  }

  @Test
  void invalidInterfacesFailNamingTheMethod() {
    assertInvalid(TwoKeys.class, "TwoKeys.join(long, long) has two @Mod parameters");
    assertInvalid(StringKey.class, "StringKey.join(String) has @Mod on a String parameter");
    assertInvalid(VoidCall.class, "VoidCall.leaveAll(String) returns void but is not a @Send");
    assertInvalid(Overloaded.class, "method 'join' is overloaded");
    assertInvalid(NodeOnAll.class, "NodeOnAll.whoami(int) is @AllNodes and has a @Node parameter");
    assertInvalid(WrongBroadcast.class, "it must be List<InstanceReply<T>>");
    assertInvalid(NotAnnotated.class, "is not annotated @FrpcClient");
    assertInvalid(IdempotentSend.class, "IdempotentSend.leaveAll(String) is @FrpcCommand(idempotent = true) but a "
        + "@Send; only calls to one node are retried");
  }

  /** A contract shared by caller and handler. */
  @FrpcClient(node = "shop", module = "shop_m")
  public interface ShopApi {
    int price(String item);

    @FrpcCommand("price")
    CompletableFuture<Integer> priceLater(String item);
  }

  /** Implements the contract: its commands are checked against it when the node starts. */
  public static final class Shop implements ShopApi {
    @Override
    public int price(String item) {
      return item.length();
    }

    @Override
    @FrpcIgnore
    public CompletableFuture<Integer> priceLater(String item) {
      throw new UnsupportedOperationException("only callers use the asynchronous form");
    }
  }

  /** Renames the command the contract calls. */
  public static final class RenamedShop implements ShopApi {
    @Override
    @FrpcCommand("cost")
    public int price(String item) {
      return 0;
    }

    @Override
    @FrpcIgnore
    public CompletableFuture<Integer> priceLater(String item) {
      return null;
    }
  }

  @Test
  void aHandlerSharingTheClientInterfaceIsCheckedAgainstItAtStartUp() {
    try (TestNode shop = TestNode.inJvm("shop", 1).handler(HandlerDefinition.of("shop_m", null, 1,
        self -> new Shop())).start()) {
      caller.connectedTo(shop);
      ShopApi api = caller.frpc.client(ShopApi.class);
      assertThat(api.price("sword")).isEqualTo(5);
    }
    assertThatThrownBy(() -> TestNode.inJvm("shop", 2).handler(HandlerDefinition.of("shop_m", null, 1,
        self -> new RenamedShop())).start()).hasMessageContaining("calls command 'price', which handler")
        .hasMessageContaining("does not serve (its commands: cost)");
  }

  /** Serves the contract's commands without implementing it: no stub for the caller-only form. */
  public static final class DeclaredShop {
    public int price(String item) {
      return item.length() * 2;
    }
  }

  /** Serves another command than the contract calls. */
  public static final class CostOnly {
    public int cost(String item) {
      return 0;
    }
  }

  @Test
  void aHandlerDeclaringTheClientInterfaceIsCheckedWithoutImplementingIt() {
    try (TestNode shop = TestNode.inJvm("shop", 1).handler(HandlerDefinition.of("shop_m", null, 1,
        self -> new DeclaredShop()).withContracts(ShopApi.class)).start()) {
      caller.connectedTo(shop);
      assertThat(caller.frpc.client(ShopApi.class).price("sword")).isEqualTo(10);
    }
    assertThatThrownBy(() -> TestNode.inJvm("shop", 2).handler(HandlerDefinition.of("shop_m", null, 1,
        self -> new CostOnly()).withContracts(ShopApi.class)).start()).hasMessageContaining("calls command 'price', which handler")
        .hasMessageContaining("does not serve (its commands: cost)");
  }

  private void assertInvalid(Class<?> type, String message) {
    assertThatThrownBy(() -> caller.frpc.client(type)).isInstanceOf(FrpcConfigurationException.class)
        .hasMessageContaining(message);
  }
}
