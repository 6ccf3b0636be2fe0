package io.frpc.test;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stub of a remote node, to test a caller alone: a node of the {@link FrpcCluster} serving modules whose commands
 * answer given values or throw given errors, and which records the arguments of every call it received.
 * <pre>{@code
 * FrpcStub game = cluster.stub("game", 1)
 *     .module("room_m")
 *     .answers("join", args -> new RoomView((Long) args.get(0), List.of((String) args.get(1))))
 *     .fails("close", new IllegalStateException("room is open"));
 * game.start();
 * ClusterNode lobby = cluster.node("lobby", 1).start();
 * ...
 * assertThat(game.received("room_m", "join")).containsExactly(List.of(42, "alice"));
 * }</pre>
 * A command takes any number of arguments, decoded as plain values (null, booleans, numbers, strings, lists and
 * maps: a record arrives as a map of its fields); its answer is encoded by its runtime type, so the caller decodes it
 * into the type it asks for. A thrown error reaches the caller as a {@link io.frpc.RemoteCallException} naming the
 * exception's class and message, as a real handler's would; a command the stub does not answer is an unknown
 * command. Each module is one actor-style instance: calls run one at a time, in arrival order.
 */
public final class FrpcStub {

  private final FrpcCluster.NodeBuilder node;
  /** Answers by module and command, in the order given. */
  private final Map<String, Map<String, Function<List<Object>, ?>>> modules = new LinkedHashMap<>();
  /** Arguments received, by module and command ({@code module.command}). */
  private final Map<String, List<List<Object>>> received = new ConcurrentHashMap<>();
  private String module;
  private ClusterNode started;

  FrpcStub(FrpcCluster.NodeBuilder node) {
    this.node = node;
  }

  /** Serves module {@code name}: the commands given next belong to it. */
  public synchronized FrpcStub module(String name) {
    Objects.requireNonNull(name, "name");
    checkNotStarted();
    modules.computeIfAbsent(name, key -> new LinkedHashMap<>());
    module = name;
    return this;
  }

  /** Command {@code command} of the current module answers what {@code answer} returns for the call's arguments. */
  public synchronized FrpcStub answers(String command, Function<List<Object>, ?> answer) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(answer, "answer");
    checkNotStarted();
    if (module == null) {
      throw new IllegalStateException("name the module first: module(name).answers(\"" + command + "\", ...)");
    }
    modules.get(module).put(command, answer);
    return this;
  }

  /** Command {@code command} of the current module throws {@code error}. */
  public FrpcStub fails(String command, Exception error) {
    Objects.requireNonNull(error, "error");
    return answers(command, args -> {
      throw new StubFailure(error);
    });
  }

  /** Any other setting of the stub's node. */
  public synchronized FrpcStub configure(Consumer<FrpcNode.Builder> settings) {
    checkNotStarted();
    node.configure(settings);
    return this;
  }

  /**
   * Starts the stub's node, connected like any node of the cluster ({@link FrpcCluster.NodeBuilder#start()}).
   *
   * @throws IllegalStateException when it serves no module, or was started before
   */
  public synchronized ClusterNode start() {
    checkNotStarted();
    if (modules.isEmpty()) {
      throw new IllegalStateException("the stub serves no module: add one with module(name).answers(command, ...)");
    }
    modules.forEach((name, commands) -> {
      Map<String, Function<List<Object>, ?>> answers = Map.copyOf(commands);
      node.handler(HandlerDefinition.of(name, null, 1, self -> new StubModule(name, answers, this::record)));
    });
    started = node.start();
    return started;
  }

  /** The arguments of every call of {@code module.command} received so far, oldest first. */
  public List<List<Object>> received(String module, String command) {
    return List.copyOf(received.getOrDefault(module + "." + command, List.of()));
  }

  private void record(String moduleAndCommand, List<Object> arguments) {
    received.computeIfAbsent(moduleAndCommand, key -> new CopyOnWriteArrayList<>()).add(new ArrayList<>(arguments));
  }

  private void checkNotStarted() {
    if (started != null) {
      throw new IllegalStateException("the stub of " + started.id() + " has started: its answers are fixed");
    }
  }

  /** Carries a stubbed error, checked or not, out of an answer function; {@link StubModule} throws the error. */
  static final class StubFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StubFailure(Exception error) {
      super(error);
    }
  }
}
