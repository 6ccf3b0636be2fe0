package io.frpc.discovery;

import io.frpc.time.FrpcClock;
import io.frpc.LocalNode;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link NodeDiscovery} reports to, and what it may need to know about this node to register it.
 * The node connects to available nodes, keeps retrying them, and drops unavailable ones.
 */
public interface DiscoveryContext {

  /** The node is (still) reachable at {@code host:port}; repeated reports of the same address are cheap. */
  void nodeAvailable(NodeId node, String host, int port);

  /** The node went away; its connection is closed and calls stop routing to it. */
  void nodeUnavailable(NodeId node, NodeDownReason reason);

  /**
   * Whether this node's connection to {@code node} answers a heartbeat within {@code timeout}: a node
   * whose registration vanished but whose connection answers is alive (a registry stall, not a dead node).
   * Completes with {@code false} when there is no open connection.
   */
  CompletableFuture<Boolean> probe(NodeId node, Duration timeout);

  /** This node: its identity and boot id. */
  LocalNode localNode();

  /** The address this node's listener is bound to, or {@code null} when it does not serve. */
  InetSocketAddress listenAddress();

  /**
   * Signs this node's registrations and checks those of other nodes with this node's shared secrets, for a
   * registry that others can write to. Without any secret they sign nothing and accept everything, like
   * {@link RegistrationSignatures#NONE}.
   */
  RegistrationSignatures registrationSignatures();

  /** The node's clock: discovery reads the time and sets its timers through it, so tests can move time. */
  FrpcClock clock();
}
