package io.frpc.test.autoconfigure;

import io.frpc.FrpcNode;
import io.frpc.NodeId;
import io.frpc.NodeListener;
import io.frpc.RemoteNode;
import io.frpc.test.ClusterNode;
import io.frpc.test.FrpcCluster;
import io.frpc.test.FrpcStub;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Stubs of remote nodes for the application's node in a test with {@link AutoConfigureFrpc} (a bean of the test's
 * context): a caller is tested alone, against modules answering given values or errors ({@link FrpcStub}).
 * <pre>{@code
 * @Autowired
 * FrpcStubs stubs;
 *
 * @Test
 * void lobbyJoinsARoom() {
 *   FrpcStub game = stubs.node("game", 1);
 *   game.module("room_m").answers("join", args -> new RoomView(42L, List.of("alice"))).start();
 *   assertThat(lobby.join("alice").players()).containsExactly("alice");
 *   assertThat(game.received("room_m", "join")).containsExactly(List.of("alice"));
 * }
 * }</pre>
 * A stub's {@link FrpcStub#start() start} returns once the application's node is connected to it. The stubs run on
 * the in-JVM transport with the application's {@code frpc.security.secret}, if it has one; they are closed after
 * each test method, and the application's node forgets them (a {@link io.frpc.NodeDownReason#DEREGISTERED} node-down
 * event).
 */
public final class FrpcStubs implements AutoCloseable {

  private final FrpcCluster stubs;
  private final StubDiscovery discovery;
  private final FrpcNode node;
  /** Stubs reported to the application's node and not yet closed. */
  private final Set<NodeId> started = ConcurrentHashMap.newKeySet();
  /** Completed when the application's node connects to the stub: the stubs being started. */
  private final Map<NodeId, CompletableFuture<Void>> connecting = new ConcurrentHashMap<>();

  FrpcStubs(StubDiscovery discovery, FrpcNode node, Consumer<FrpcNode.Builder> settings) {
    this.discovery = discovery;
    this.node = node;
    this.stubs = FrpcCluster.builder().nodes(settings).whenStarted(this::connect).build();
    node.addListener(new NodeListener() {
      @Override
      public void nodeUp(RemoteNode remote) {
        CompletableFuture<Void> connected = connecting.get(remote.id());
        if (connected != null) {
          connected.complete(null);
        }
      }
    });
  }

  /** Starts describing a stub of node {@code name:id}; {@link FrpcStub#start()} starts it. */
  public FrpcStub node(String name, int id) {
    return stubs.stub(name, id);
  }

  /**
   * The stub {@code name:id} started last in this test, to {@link ClusterNode#kill() kill} or
   * {@link ClusterNode#stop() stop} it, for example.
   *
   * @throws IllegalArgumentException when no stub of that name and id was started
   */
  public ClusterNode get(String name, int id) {
    return stubs.get(name, id);
  }

  /** Closes every stub and makes the application's node forget them; done after each test method. */
  @Override
  public void close() {
    try {
      stubs.close();
    } finally {
      started.removeIf(stub -> {
        discovery.unavailable(stub);
        return true;
      });
    }
  }

  /** Reports a stub that has started to the application's node and waits until it is connected. */
  private void connect(ClusterNode stub) {
    NodeId id = stub.id();
    CompletableFuture<Void> connected = new CompletableFuture<>();
    connecting.put(id, connected);
    try {
      started.add(id);
      discovery.available(id);
      if (node.template().isActive(id.name(), id.id())) {
        connected.complete(null);
      }
      connected.get(FrpcCluster.DEFAULT_AWAIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the application's node " + node.id() + " did not connect to stub " + id + " within "
          + FrpcCluster.DEFAULT_AWAIT_TIMEOUT.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the connection to stub " + id, e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    } finally {
      connecting.remove(id);
    }
  }
}
