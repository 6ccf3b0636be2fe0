package io.frpc;

import static org.awaitility.Awaitility.await;

import io.frpc.module.ModuleRegistry;
import io.frpc.module.RequestDispatcher;
import io.frpc.protocol.PayloadCodec;
import io.frpc.routing.CallExecutor;
import io.frpc.routing.ClientSettings;
import io.frpc.routing.FrpcClient;
import io.frpc.transport.ClientConnector;
import io.frpc.transport.FrpcServer;
import io.frpc.transport.ServerSettings;
import io.frpc.transport.TransportResources;
import io.frpc.transport.TransportSettings;
import java.time.Duration;
import java.util.function.IntFunction;

/** A complete node on loopback, wired the way the auto-configuration wires it, for tests in one JVM. */
final class TestNode implements AutoCloseable {

  final LocalNode local;
  final TransportResources resources;
  final PayloadCodec codec = new PayloadCodec();
  final RequestDispatcher dispatcher;
  final FrpcServer server;
  final FrpcClient client;
  final FrpcTemplate frpc;

  private TestNode(Builder builder) {
    local = LocalNode.start(builder.name, builder.id);
    resources = new TransportResources(local.id().toString(), 2);
    ModuleRegistry registry = builder.modules.build(codec, resources.workers());
    dispatcher = new RequestDispatcher(registry, codec, builder.includeStackTrace);
    server = new FrpcServer(local.id(), local.bootId(), new ServerSettings("127.0.0.1", builder.port),
        builder.transport, resources, codec, dispatcher);
    server.start();
    ClientConnector connector = new ClientConnector(local.id(), local.bootId(), builder.transport, resources, codec,
        Duration.ofSeconds(2));
    client = new FrpcClient(builder.client, connector, resources);
    frpc = new FrpcTemplate(client, new CallExecutor(client, codec));
  }

  static Builder builder(String name, int id) {
    return new Builder(name, id);
  }

  NodeId id() {
    return local.id();
  }

  int port() {
    return server.localAddress().getPort();
  }

  /** Reports {@code other} to this node's client, as discovery would. */
  TestNode knows(TestNode other) {
    client.nodeAvailable(other.id(), "127.0.0.1", other.port());
    return this;
  }

  /** Reports {@code other} and waits until the connection is up. */
  TestNode connectedTo(TestNode other) {
    knows(other);
    await().atMost(Duration.ofSeconds(10)).until(() -> client.isActive(other.id().name(), other.id().id()));
    return this;
  }

  @Override
  public void close() {
    client.close();
    server.stop(Duration.ofSeconds(1));
    resources.close();
  }

  static final class Builder {
    private final String name;
    private final int id;
    private final ModuleRegistry.Builder modules = ModuleRegistry.builder();
    private TransportSettings transport = TransportSettings.defaults();
    private ClientSettings client = new ClientSettings(Duration.ofSeconds(3), Duration.ofSeconds(10),
        Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(500));
    private boolean includeStackTrace;
    private int port;

    private Builder(String name, int id) {
      this.name = name;
      this.id = id;
    }

    /** Adds {@code count} instances created by {@code factory} (given the instance index). */
    Builder module(String module, String instanceName, int count, IntFunction<Object> factory) {
      return module(module, instanceName, count, false, 10_000, factory);
    }

    Builder module(String module, String instanceName, int count, boolean concurrent, int mailboxCapacity,
        IntFunction<Object> factory) {
      for (int i = 0; i < count; i++) {
        Object handler = factory.apply(i);
        modules.instance(module, instanceName, handler, handler.getClass(), concurrent, mailboxCapacity);
      }
      return this;
    }

    Builder transport(TransportSettings settings) {
      this.transport = settings;
      return this;
    }

    Builder client(ClientSettings settings) {
      this.client = settings;
      return this;
    }

    Builder includeStackTrace() {
      this.includeStackTrace = true;
      return this;
    }

    Builder port(int port) {
      this.port = port;
      return this;
    }

    TestNode start() {
      return new TestNode(this);
    }
  }
}
