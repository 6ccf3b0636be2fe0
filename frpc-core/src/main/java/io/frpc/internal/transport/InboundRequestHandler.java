package io.frpc.internal.transport;

import io.frpc.internal.protocol.InboundRequest;

/** Where a served connection hands the requests it reads: the module dispatcher. */
public interface InboundRequestHandler {

  /** Handles one request, called on the I/O thread that decoded it; replies go to {@code connection}. */
  void dispatch(InboundRequest request, ServedConnection connection);

  /** Requests queued or running: the graceful shutdown waits for them. */
  int inFlight();

  /**
   * The node stops serving: requests arriving from now on are answered {@code SHUTTING_DOWN} without running,
   * so their callers may safely send them to another node.
   */
  void refuseNewRequests();
}
