package io.frpc.test.autoconfigure;

import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.Transport;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.NodeDiscovery;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.TreeSet;

/**
 * Discovery of a test's node ({@link AutoConfigureFrpc}): the node itself, when it serves, and the stubs
 * {@link FrpcStubs} starts and closes.
 */
final class StubDiscovery implements NodeDiscovery {

  private volatile DiscoveryContext context;
  /** Names of this node and the stubs reported so far. Guarded by itself. */
  private final Set<String> names = new TreeSet<>();

  @Override
  public void start(DiscoveryContext context) {
    this.context = context;
    InetSocketAddress self = context.listenAddress();
    if (self != null) {
      synchronized (names) {
        names.add(context.localNode().id().name());
      }
      context.nodeAvailable(context.localNode().id(), self.getHostString(), self.getPort());
    }
  }

  /** Stub {@code node} runs on the in-JVM transport. */
  void available(NodeId node) {
    synchronized (names) {
      names.add(node.name());
    }
    started().nodeAvailable(node, Transport.IN_JVM_HOST, 0);
  }

  /** Stub {@code node} has been closed. */
  void unavailable(NodeId node) {
    started().nodeUnavailable(node, NodeDownReason.DEREGISTERED);
  }

  @Override
  public String explainUnknownName(String nodeName) {
    synchronized (names) {
      if (names.contains(nodeName)) {
        return null;
      }
    }
    return "no stub of a node named '" + nodeName + "' has started in this test; start one with FrpcStubs.node(\""
        + nodeName + "\", id).module(...).answers(...).start()";
  }

  @Override
  public Set<String> nodeNames() {
    synchronized (names) {
      return Set.copyOf(names);
    }
  }

  @Override
  public void close() {
  }

  private DiscoveryContext started() {
    DiscoveryContext started = context;
    if (started == null) {
      throw new IllegalStateException("the test's frpc node has not started yet: start stubs in the test or in a "
          + "@BeforeEach method, once the application context has started");
    }
    return started;
  }
}
