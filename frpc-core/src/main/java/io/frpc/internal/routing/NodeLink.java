package io.frpc.internal.routing;

import io.frpc.FrpcException;
import io.frpc.NodeDownReason;
import io.frpc.NodeId;
import io.frpc.internal.UntrustedText;
import io.frpc.internal.transport.OutgoingConnection;
import io.frpc.status.RemoteNodeState;
import io.frpc.status.RemoteNodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one discovered node connected: connects, and after a failed attempt or a lost connection
 * retries with exponential backoff and jitter until the node is removed. A node that announces its
 * graceful shutdown stops being routed to at once; its connection closes when its pending calls are done,
 * and the link then reconnects as after a loss (the node may come back at the same address).
 */
final class NodeLink {

  private static final Logger log = LoggerFactory.getLogger(NodeLink.class);

  /**
   * How long a connection stops being routed to before it may close: a caller that picked it just before
   * still gets its call through.
   */
  private static final Duration DRAIN_GRACE = Duration.ofMillis(250);

  private final NodeId id;
  private final RemoteNodes client;
  private String host;
  private int port;
  private OutgoingConnection connection;
  /** The connection of a node that announced its shutdown, until it closes. */
  private OutgoingConnection draining;
  private CompletableFuture<OutgoingConnection> attempt;
  private final Reconnects reconnects;
  private boolean removed;
  private RemoteNodeState state = RemoteNodeState.CONNECTING;
  private Instant since;

  NodeLink(NodeId id, String host, int port, RemoteNodes client) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.client = client;
    this.reconnects = client.reconnects();
    this.since = client.clock().instant();
  }

  synchronized void start() {
    connect();
  }

  /** Points the link at a new address; an open connection to the old one is closed. */
  synchronized void moveTo(String newHost, int newPort) {
    if (host.equals(newHost) && port == newPort) {
      return;
    }
    log.info("Node {} moved from {}:{} to {}:{}", id, host, port, newHost, newPort);
    host = newHost;
    port = newPort;
    if (connection != null) {
      connection.close();
    } else {
      cancelRetry();
      connect();
    }
  }

  /**
   * Stops keeping the node connected and closes its connection: at once, or, for a node that deregistered
   * (it is shutting down gracefully), once its pending calls are done. The node is reported down now,
   * before the close completes, so that its down event precedes the up event of a link that replaces this
   * one.
   */
  void remove(NodeDownReason reason) {
    OutgoingConnection open;
    synchronized (this) {
      removed = true;
      cancelRetry();
      open = connection;
      connection = null;
    }
    if (open != null) {
      client.deactivated(open, reason);
      if (reason == NodeDownReason.DEREGISTERED) {
        open.closeWhenIdle(DRAIN_GRACE);
      } else {
        open.close();
      }
    }
  }

  /** The node announced its graceful shutdown (I/O thread). */
  private void goingAway(OutgoingConnection announcing) {
    synchronized (this) {
      if (connection != announcing) {
        return;
      }
      connection = null;
      draining = announcing;
      enter(RemoteNodeState.DRAINING);
    }
    client.shuttingDown(announcing);
    announcing.closeWhenIdle(DRAIN_GRACE);
  }

  synchronized OutgoingConnection connection() {
    return connection;
  }

  synchronized String address() {
    return host + ":" + port;
  }

  /** The link's state for operations; {@code lastFailure} is why the last attempt failed, or null. */
  synchronized RemoteNodeStatus status(String lastFailure) {
    OutgoingConnection current = connection != null ? connection : draining;
    return new RemoteNodeStatus(id, address(), state, since, current == null || current.rttNanos() < 0 ? -1 : current.rttNanos() / 1000,
        current == null ? 0 : current.pendingCalls(), current == null ? 0 : current.bytesIn(),
        current == null ? 0 : current.bytesOut(), lastFailure);
  }

  /** Enters {@code next}; the time is kept when the state does not change. Called holding the lock. */
  private void enter(RemoteNodeState next) {
    if (state != next) {
      state = next;
      since = client.clock().instant();
    }
  }

  private void connect() {
    if (removed) {
      return;
    }
    CompletableFuture<OutgoingConnection> current = client.connector().connect(id, host, port);
    attempt = current;
    current.whenComplete((opened, error) -> attemptDone(current, opened, error));
  }

  private void attemptDone(CompletableFuture<OutgoingConnection> done, OutgoingConnection opened, Throwable error) {
    synchronized (this) {
      if (done != attempt || removed) {
        if (opened != null) {
          opened.close();
        }
        return;
      }
      attempt = null;
      client.attempted(id, error);
      if (error != null) {
        enter(RemoteNodeState.DOWN);
        int failures = reconnects.failed();
        if (failures == 1 && error instanceof FrpcException) {
          log.warn("Node {} at {}:{} refused the handshake ({}); retrying with backoff", id, host, port,
              UntrustedText.escape(error.getMessage()));
        } else if (failures == 1) {
          log.info("Node {} at {}:{} is not reachable yet ({}); retrying with backoff", id, host, port,
              UntrustedText.escape(error.getMessage()));
        } else {
          log.debug("Node {} at {}:{} still not reachable ({})", id, host, port,
              UntrustedText.escape(error.getMessage()));
        }
        scheduleRetry();
        return;
      }
      reconnects.connected();
      connection = opened;
      enter(RemoteNodeState.UP);
    }
    client.activated(opened);
    opened.onClose(() -> closed(opened));
    opened.onGoingAway(() -> goingAway(opened));
  }

  /** The connection closed by itself (a removal or the node's shutdown has already reported the node down). */
  private void closed(OutgoingConnection lost) {
    synchronized (this) {
      if (lost == draining) {
        draining = null;
        enter(RemoteNodeState.DOWN);
        if (!removed) {
          scheduleRetry();
        }
        return;
      }
      if (connection != lost) {
        return;
      }
      connection = null;
      enter(RemoteNodeState.DOWN);
      scheduleRetry();
    }
    client.deactivated(lost, NodeDownReason.CONNECTION_LOST);
  }

  private void scheduleRetry() {
    reconnects.schedule(() -> {
      synchronized (this) {
        connect();
      }
    });
  }

  private void cancelRetry() {
    reconnects.cancel();
  }
}
