package io.frpc;

import static org.awaitility.Awaitility.await;

import io.frpc.internal.routing.ClientSettings;
import io.frpc.internal.routing.RemoteNodes;
import io.frpc.internal.transport.TransportSettings;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A complete node on loopback, built with {@link FrpcNode#builder}, for tests that run several nodes in one JVM; with
 * {@link #inJvm}, on the in-JVM transport instead, for tests whose subject is not TCP itself.
 */
final class TestNode implements AutoCloseable {

  final FrpcNode node;
  final RemoteNodes client;
  final FrpcTemplate frpc;

  private TestNode(FrpcNode node) {
    this.node = node;
    this.client = node.client();
    this.frpc = node.template();
    node.start();
  }

  static Builder builder(String name, int id) {
    return new Builder(name, id);
  }

  /** Node {@code name:id} on the in-JVM transport: no port, the same pipeline and handshake as TCP. */
  static Builder inJvm(String name, int id) {
    return new Builder(name, id).configure(node -> node.transport(Transport.IN_JVM));
  }

  NodeId id() {
    return node.id();
  }

  int port() {
    return node.listenAddress().getPort();
  }

  int requestsInFlight() {
    return node.requestsInFlight();
  }

  /** Reports {@code other} to this node's client, as discovery would. */
  TestNode knows(TestNode other) {
    client.nodeAvailable(other.id(), other.node.listenAddress().getHostString(), other.port());
    return this;
  }

  /** Reports {@code other} and waits until the connection is up. */
  TestNode connectedTo(TestNode other) {
    knows(other);
    // checked at once and every 5 ms: a connection comes up within milliseconds, Awaitility's default waits 100
    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
        .until(() -> client.isActive(other.id().name(), other.id().id()));
    return this;
  }

  @Override
  public void close() {
    node.close();
  }

  static final class Builder {
    private final FrpcNode.Builder node;

    private Builder(String name, int id) {
      node = FrpcNode.builder(name, id).listen("127.0.0.1", 0).ioThreads(2).shutdownTimeout(Duration.ofSeconds(1))
          .connectWait(Duration.ofSeconds(3)).callTimeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(2))
          .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    /** Adds {@code count} instances created by {@code factory} (given the instance index). */
    Builder module(String module, String instanceName, int count, IntFunction<Object> factory) {
      node.handler(HandlerDefinition.of(module, instanceName, count, self -> factory.apply(self.index())));
      return this;
    }

    Builder module(String module, String instanceName, int count, boolean concurrent, int mailboxCapacity,
        IntFunction<Object> factory) {
      HandlerDefinition definition = HandlerDefinition.of(module, instanceName, count,
          self -> factory.apply(self.index())).withMailboxCapacity(mailboxCapacity);
      node.handler(concurrent ? definition.runConcurrently() : definition);
      return this;
    }

    /** Adds handler instances. */
    Builder handler(HandlerDefinition definition) {
      node.handler(definition);
      return this;
    }

    Builder transport(TransportSettings settings) {
      node.maxMessageSize(settings.maxMessageSize()).fragmentSize(settings.fragmentSize())
          .heartbeat(settings.heartbeatInterval(), settings.heartbeatTimeout())
          .handshakeTimeout(settings.handshakeTimeout());
      return this;
    }

    Builder client(ClientSettings settings) {
      node.connectWait(settings.connectWait()).callTimeout(settings.callTimeout())
          .connectTimeout(settings.connectTimeout())
          .reconnectBackoff(settings.reconnectInitialBackoff(), settings.reconnectMaxBackoff())
          .directCompletion(settings.directCompletion()).loadBalancing(settings.loadBalancing());
      return this;
    }

    /** Any other setting of the node. */
    Builder configure(Consumer<FrpcNode.Builder> settings) {
      settings.accept(node);
      return this;
    }

    Builder includeStackTrace() {
      node.includeStackTrace(true);
      return this;
    }

    Builder port(int port) {
      node.listen("127.0.0.1", port);
      return this;
    }

    TestNode start() {
      return new TestNode(node.build());
    }
  }
}
