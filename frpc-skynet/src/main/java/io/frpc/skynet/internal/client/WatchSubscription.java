package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.pubsub.Subscription;
import io.frpc.skynet.LuaValue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a Java listener to a channel (or a state channel or pattern) of one or more skynet_fly
 * nodes, and its delivery: tasks run one at a time on the executor, in the order they were queued. Messages beyond
 * the backlog are dropped and counted (the next delivered message carries the count); a state version replaces a
 * queued older version of the same channel of the same node, so the latest is never lost; node events are always
 * queued.
 */
final class WatchSubscription implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(WatchSubscription.class);

  enum Kind { MESSAGES, STATE, STATE_PATTERN }

  final Kind kind;
  private final String channel;
  private final WatchListener listener;
  private final Executor executor;
  private final int backlog;
  private final Runnable onClose;
  private final Set<NodeId> nodes = ConcurrentHashMap.newKeySet();
  /** Queued tasks; guarded by this. */
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  /** Queued state versions by node and channel, replaced by newer ones; guarded by this. */
  private final Map<String, Runnable[]> queuedStates = new HashMap<>();
  /** Queued messages; guarded by this. */
  private int queuedMessages;
  /** Messages dropped since the last one queued; guarded by this. */
  private long droppedSinceQueued;
  private long dropped;
  private boolean running;
  private volatile boolean closed;

  WatchSubscription(Kind kind, String channel, WatchListener listener, Executor executor, int backlog,
      Runnable onClose) {
    this.kind = kind;
    this.channel = channel;
    this.listener = listener;
    this.executor = executor;
    this.backlog = backlog;
    this.onClose = onClose;
  }

  @Override
  public String channel() {
    return channel;
  }

  @Override
  public Set<NodeId> nodes() {
    return Set.copyOf(nodes);
  }

  @Override
  public synchronized long dropped() {
    return dropped;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    nodes.clear();
    onClose.run();
    synchronized (this) {
      queue.clear();
      queuedStates.clear();
      queuedMessages = 0;
    }
  }

  void message(RemoteNode node, String channelName, List<LuaValue> values) {
    Runnable task;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (queuedMessages >= backlog) {
        dropped++;
        droppedSinceQueued++;
        return;
      }
      long lost = droppedSinceQueued;
      droppedSinceQueued = 0;
      queuedMessages++;
      task = () -> {
        synchronized (this) {
          queuedMessages--;
        }
        listener.message(node, channelName, values, lost);
      };
    }
    enqueue(task);
  }

  void state(RemoteNode node, String channelName, long version, List<LuaValue> values) {
    String key = node.id() + "/" + channelName;
    Runnable deliver = () -> listener.state(node, channelName, version, values);
    synchronized (this) {
      if (closed) {
        return;
      }
      Runnable[] queued = queuedStates.get(key);
      if (queued != null) {
        queued[0] = deliver;
        return;
      }
      Runnable[] slot = {deliver};
      queuedStates.put(key, slot);
      queue.add(() -> {
        synchronized (this) {
          queuedStates.remove(key);
        }
        slot[0].run();
      });
      if (running) {
        return;
      }
      running = true;
    }
    schedule();
  }

  void joined(RemoteNode node) {
    if (!closed) {
      nodes.add(node.id());
      enqueue(() -> listener.joined(node));
    }
  }

  void lost(RemoteNode node) {
    if (nodes.remove(node.id())) {
      enqueue(() -> listener.lost(node));
    }
  }

  void refused(NodeId node, String reason) {
    enqueue(() -> listener.refused(node, reason));
  }

  private void enqueue(Runnable task) {
    synchronized (this) {
      if (closed) {
        return;
      }
      queue.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    schedule();
  }

  private void schedule() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException shutDown) {
      log.debug("subscription to '{}': not delivered, the listener executor is shut down", channel);
      synchronized (this) {
        running = false;
      }
    }
  }

  private void drain() {
    for (int i = 0; i < 64; i++) {
      Runnable task;
      synchronized (this) {
        task = closed ? null : queue.poll();
        if (task == null) {
          running = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("The listener of the subscription to skynet channel '{}' failed", channel, e);
      }
    }
    schedule();
  }
}
