package io.frpc.bridge;

import io.frpc.NodeId;
import java.util.concurrent.Executor;

/** This node's served modules, for a listener of another protocol; see {@code FrpcNode.bridge()}. */
public interface NodeBridge {

  /**
   * A connection for the requests of one peer of the other protocol.
   *
   * @param peer       who calls, for logs, metrics and {@code FrpcCall.caller()}
   * @param connection the thread that reads the peer's requests (a Netty channel's event loop): requests must be
   *                   handed over on it, and cancellations run on it
   */
  BridgeConnection connect(NodeId peer, Executor connection);

  /**
   * A connection that can also subscribe to this node's channels ({@link BridgeConnection#subscribe}), delivering to
   * {@code subscriber}.
   */
  BridgeConnection connect(NodeId peer, Executor connection, BridgeSubscriber subscriber);
}
