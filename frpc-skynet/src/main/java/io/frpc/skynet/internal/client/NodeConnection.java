package io.frpc.skynet.internal.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC connection to one node of the map: connects, and after a failed attempt or a close connects again after
 * the reconnect delay (varied by up to 20% so that many clients do not come back at once), until closed. The node
 * is active from its handshake's completion until its channel closes.
 */
final class NodeConnection {

  private static final Logger log = LoggerFactory.getLogger(NodeConnection.class);

  /** The channel and dispatcher of an active connection. */
  record Active(Channel channel, ResponseDispatcher dispatcher) {
  }

  private final RemoteNodeSettings node;
  private final NodeConnections owner;
  private final Bootstrap bootstrap;
  private final long reconnectDelayNanos;
  /** The connection once its handshake completed; null otherwise. */
  private volatile Active active;
  /** The channel being connected or connected, to close with this connection. */
  private volatile Channel channel;
  private volatile boolean closed;
  /** Whether the last attempt's failure was logged at INFO already; later ones go to DEBUG. */
  private volatile boolean failureLogged;
  /** Why the last attempt failed, until the node is active again; null when it has not failed. */
  private volatile String lastFailure;

  NodeConnection(RemoteNodeSettings node, NodeConnections owner, Bootstrap bootstrap, long reconnectDelayNanos) {
    this.node = node;
    this.owner = owner;
    this.bootstrap = bootstrap;
    this.reconnectDelayNanos = reconnectDelayNanos;
  }

  RemoteNodeSettings node() {
    return node;
  }

  /** Why the last attempt to connect failed, or null. */
  String lastFailure() {
    return lastFailure;
  }

  /** The active connection, or null. */
  Active active() {
    return active;
  }

  void connect() {
    if (closed) {
      return;
    }
    ChannelFuture connecting = bootstrap.clone().attr(NodeConnections.CONNECTION, this)
        .connect(node.host(), node.port());
    Channel connectingChannel = connecting.channel();
    channel = connectingChannel;
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        lastFailure = "cannot connect to " + node.host() + ":" + node.port() + ": " + done.cause().getMessage();
        if (!failureLogged) {
          failureLogged = true;
          log.info("skynet node {} at {}:{}: cannot connect ({}); retrying every ~{} ms", node.id(), node.host(),
              node.port(), done.cause().toString(), TimeUnit.NANOSECONDS.toMillis(reconnectDelayNanos));
        } else {
          log.debug("skynet node {}: cannot connect: {}", node.id(), done.cause().toString());
        }
        connectingChannel.close();
      }
    });
    connectingChannel.closeFuture().addListener(done -> closed(connectingChannel));
    if (closed) {
      connectingChannel.close();
    }
  }

  /** Called by the dispatcher on the event loop when the handshake of {@code channel} completed. */
  void activated(Channel activeChannel, ResponseDispatcher dispatcher) {
    if (closed || !activeChannel.isActive()) {
      return;
    }
    failureLogged = false;
    lastFailure = null;
    active = new Active(activeChannel, dispatcher);
    log.info("skynet node {} at {}:{} is up", node.id(), node.host(), node.port());
    owner.nodeUp(this);
  }

  /**
   * A connection failed (its handshake, a malformed frame): the first failure after the node was last active, or
   * since the start, at WARN, the next ones at DEBUG, as they repeat with every reconnection.
   */
  void failed(String reason) {
    lastFailure = reason;
    if (!failureLogged) {
      failureLogged = true;
      log.warn("skynet node {} at {}:{}: closing the connection: {}", node.id(), node.host(), node.port(), reason);
    } else {
      log.debug("skynet node {}: closing the connection: {}", node.id(), reason);
    }
  }

  private void closed(Channel closedChannel) {
    Active was = active;
    if (was != null && was.channel() == closedChannel) {
      active = null;
      log.info("skynet node {} is down", node.id());
      owner.nodeDown(this);
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    long delay = (long) (reconnectDelayNanos * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    try {
      bootstrap.config().group().schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      log.debug("skynet node {}: no reconnection, the event loops are shut down", node.id());
    }
  }

  /** Stops reconnecting and closes the channel; its pending calls fail. */
  void close() {
    closed = true;
    Channel current = channel;
    if (current != null) {
      current.close().syncUninterruptibly();
    }
  }
}
