package io.frpc.status;

import io.frpc.NodeId;
import java.time.Instant;

/**
 * One node discovery reported, as this node sees it.
 *
 * @param id                 its name and id
 * @param address            {@code host:port} it is kept connected to
 * @param state              the connection's state
 * @param since              when it entered that state
 * @param roundTripMicros    the last heartbeat's round-trip time in microseconds, or -1 before the first
 * @param pendingCalls       calls waiting for its reply
 * @param bytesIn            bytes received on the current connection
 * @param bytesOut           bytes sent on the current connection
 * @param lastFailure        why the last connection attempt failed, or {@code null}
 */
public record RemoteNodeStatus(NodeId id, String address, RemoteNodeState state, Instant since,
    long roundTripMicros, int pendingCalls, long bytesIn, long bytesOut, String lastFailure) {
}
