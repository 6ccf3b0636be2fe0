package io.frpc.skynet.internal.client;

import io.frpc.RemoteNode;
import io.frpc.internal.UntrustedText;
import io.frpc.skynet.LuaInteger;
import io.frpc.skynet.LuaString;
import io.frpc.skynet.LuaTable;
import io.frpc.skynet.LuaValue;
import io.frpc.skynet.SkynetFormatException;
import io.frpc.skynet.SkynetPack;
import io.frpc.skynet.internal.frame.PackIds;
import io.frpc.skynet.internal.frame.SkynetPush;
import io.frpc.skynet.internal.frame.SkynetRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch connection to one skynet_fly node (skynet_fly's {@code add_node_watch}) and what this node follows on
 * it: open while the node is active and some subscription wants it, re-opened (after the reconnect delay) and
 * re-subscribed after it closes, closed when the last subscription ends or the node goes down. Each channel,
 * state channel and pattern is subscribed once on the wire, whatever number of Java subscriptions share it:
 * {@code sub} (11) for messages, {@code subsyn} (13) for a state channel, {@code psubsyn} (15) for a state pattern,
 * each state channel a pattern reports being followed with {@code subsyn} in turn. After every state push it asks
 * again with the version it got, as skynet_fly's {@code watch_syn_client} does; after a reconnection it asks with
 * version 0 (the node may have restarted, its versions with it), so watchers get the current value again.
 *
 * <p>State is guarded by this object's lock; pushes arrive on the channel's event loop.
 */
final class WatchConnection {

  private static final Logger log = LoggerFactory.getLogger(WatchConnection.class);

  private final RemoteNodeSettings node;
  private final RemoteNode remote;
  private final Bootstrap bootstrap;
  private final SkynetWatches owner;
  private final SkynetPack pack;
  private final long reconnectDelayNanos;
  private final int maxSubscriptions;
  /** Message subscriptions by channel. */
  private final Map<String, Set<WatchSubscription>> messages = new HashMap<>();
  /** Followed state channels. */
  private final Map<String, FollowedState> states = new HashMap<>();
  /** Followed state patterns. */
  private final Map<String, Set<WatchSubscription>> patterns = new HashMap<>();
  private boolean nodeActive;
  private boolean closed;
  /** The channel connecting or connected; null when none. */
  private Channel channel;
  /** Whether {@link #channel}'s handshake completed. */
  private boolean ready;
  private boolean reconnectScheduled;

  /** A state channel followed: its direct watchers, the patterns it came from, the latest version got. */
  private static final class FollowedState {
    final Set<WatchSubscription> watchers = new LinkedHashSet<>();
    final Set<String> viaPatterns = new LinkedHashSet<>();
    long version;
    List<LuaValue> values;

    boolean unused() {
      return watchers.isEmpty() && viaPatterns.isEmpty();
    }
  }

  WatchConnection(RemoteNodeSettings node, Bootstrap bootstrap, SkynetWatches owner, SkynetPack pack,
      long reconnectDelayNanos, int maxSubscriptions) {
    this.node = node;
    this.remote = new RemoteNode(node.id(), node.host(), node.port(), "");
    this.bootstrap = bootstrap;
    this.owner = owner;
    this.pack = pack;
    this.reconnectDelayNanos = reconnectDelayNanos;
    this.maxSubscriptions = maxSubscriptions;
  }

  RemoteNodeSettings node() {
    return node;
  }

  private int wireSubscriptions() {
    return messages.size() + states.size() + patterns.size();
  }

  private boolean wanted() {
    return !closed && nodeActive && wireSubscriptions() > 0;
  }

  /** Adds {@code subscription} to this node; false (and the subscription told) when the connection is full. */
  synchronized void add(WatchSubscription subscription) {
    String name = subscription.channel();
    boolean isNew = switch (subscription.kind) {
      case MESSAGES -> !messages.containsKey(name);
      case STATE -> !states.containsKey(name);
      case STATE_PATTERN -> !patterns.containsKey(name);
    };
    if (isNew && wireSubscriptions() >= maxSubscriptions) {
      subscription.refused(node.id(), "the watch connection to " + node.id() + " has " + maxSubscriptions
          + " subscriptions, as many as it may hold (maxSubscriptionsPerConnection)");
      return;
    }
    if (ready) {
      subscription.joined(remote);
    }
    switch (subscription.kind) {
      case MESSAGES -> {
        messages.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(subscription);
        if (isNew) {
          sendSub(PackIds.SUB, name);
        }
      }
      case STATE -> {
        FollowedState state = states.computeIfAbsent(name, n -> new FollowedState());
        state.watchers.add(subscription);
        if (isNew) {
          send(PackIds.SUBSYN, LuaString.of(name), new LuaInteger(0));
        } else if (ready && state.values != null) {
          subscription.state(remote, name, state.version, state.values);
        }
      }
      case STATE_PATTERN -> {
        patterns.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(subscription);
        if (isNew) {
          send(PackIds.PSUBSYN, LuaString.of(name), new LuaInteger(0));
        } else if (ready) {
          states.forEach((channelName, state) -> {
            if (state.viaPatterns.contains(name) && state.values != null) {
              subscription.state(remote, channelName, state.version, state.values);
            }
          });
        }
      }
    }
    openIfWanted();
  }

  /** Removes {@code subscription}; unsubscribes on the wire what nobody follows any more. */
  synchronized void remove(WatchSubscription subscription) {
    String name = subscription.channel();
    switch (subscription.kind) {
      case MESSAGES -> {
        Set<WatchSubscription> subscribers = messages.get(name);
        if (subscribers != null && subscribers.remove(subscription) && subscribers.isEmpty()) {
          messages.remove(name);
          sendSub(PackIds.UNSUB, name);
        }
      }
      case STATE -> {
        FollowedState state = states.get(name);
        if (state != null && state.watchers.remove(subscription) && state.unused()) {
          states.remove(name);
          send(PackIds.UNSUBSYN, LuaString.of(name));
        }
      }
      case STATE_PATTERN -> {
        Set<WatchSubscription> watchers = patterns.get(name);
        if (watchers != null && watchers.remove(subscription) && watchers.isEmpty()) {
          patterns.remove(name);
          send(PackIds.UNPSUBSYN, LuaString.of(name));
          for (var it = states.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, FollowedState> entry = it.next();
            if (entry.getValue().viaPatterns.remove(name) && entry.getValue().unused()) {
              it.remove();
              send(PackIds.UNSUBSYN, LuaString.of(entry.getKey()));
            }
          }
        }
      }
    }
    if (wireSubscriptions() == 0 && channel != null) {
      log.debug("skynet node {}: closing the watch connection, nothing is followed any more", node.id());
      channel.close();
    }
  }

  /** The node's RPC connection became active (or inactive: the watch connection is closed). */
  synchronized void nodeActive(boolean active) {
    nodeActive = active;
    if (active) {
      openIfWanted();
    } else if (channel != null) {
      channel.close();
    }
  }

  synchronized void close() {
    closed = true;
    if (channel != null) {
      channel.close();
    }
  }

  private void openIfWanted() {
    if (!wanted() || channel != null || reconnectScheduled) {
      return;
    }
    io.netty.channel.ChannelFuture connecting = bootstrap.clone().attr(SkynetWatches.CONNECTION, this)
        .connect(node.host(), node.port());
    Channel opening = connecting.channel();
    connecting.addListener(done -> {
          if (!done.isSuccess()) {
            log.debug("skynet node {}: cannot open the watch connection: {}", node.id(), done.cause().toString());
            opening.close();
          }
        });
    channel = opening;
    opening.closeFuture().addListener(done -> closed(opening));
  }

  /** Called on the event loop when {@code opened}'s handshake completed: subscribes everything followed. */
  synchronized void ready(Channel opened) {
    if (opened != channel) {
      opened.close();
      return;
    }
    ready = true;
    log.info("skynet node {}: watch connection up ({} subscriptions)", node.id(), wireSubscriptions());
    messages.keySet().forEach(name -> sendSub(PackIds.SUB, name));
    states.forEach((name, state) -> send(PackIds.SUBSYN, LuaString.of(name), new LuaInteger(0)));
    patterns.keySet().forEach(name -> send(PackIds.PSUBSYN, LuaString.of(name), new LuaInteger(0)));
    subscriptions().forEach(subscription -> subscription.joined(remote));
  }

  private synchronized void closed(Channel closedChannel) {
    if (closedChannel != channel) {
      return;
    }
    boolean wasReady = ready;
    channel = null;
    ready = false;
    if (wasReady) {
      log.info("skynet node {}: watch connection down", node.id());
      subscriptions().forEach(subscription -> subscription.lost(remote));
    }
    if (wanted()) {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    reconnectScheduled = true;
    long delay = (long) (reconnectDelayNanos * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    try {
      bootstrap.config().group().schedule(() -> {
        synchronized (this) {
          reconnectScheduled = false;
          openIfWanted();
        }
      }, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      reconnectScheduled = false;
    }
  }

  private Set<WatchSubscription> subscriptions() {
    Set<WatchSubscription> all = new LinkedHashSet<>();
    messages.values().forEach(all::addAll);
    states.values().forEach(state -> all.addAll(state.watchers));
    patterns.values().forEach(all::addAll);
    return all;
  }

  /** A push of the node, on the event loop (duplicates already dropped). */
  synchronized void push(SkynetPush push) {
    if (!ready) {
      return;
    }
    String name = push.channelName();
    List<LuaValue> values;
    try {
      values = pack.unpack(push.payload());
    } catch (SkynetFormatException e) {
      log.warn("skynet node {}: dropped a push (pack id {}) on '{}': {}", node.id(), push.packId(),
          UntrustedText.escape(name), e.getMessage());
      return;
    }
    switch (push.packId()) {
      case PackIds.PUBLISH -> {
        for (WatchSubscription subscription : messages.getOrDefault(name, Set.of())) {
          subscription.message(remote, name, values);
        }
      }
      case PackIds.SUBSYN -> stateVersion(name, values);
      case PackIds.PSUBSYN -> patternVersion(name, values);
      case PackIds.SUB, PackIds.UNSUB, PackIds.UNSUBSYN, PackIds.UNPSUBSYN ->
          log.debug("skynet node {}: acknowledged {} of '{}'", node.id(), push.packId(), UntrustedText.escape(name));
      default -> log.warn("skynet node {}: dropped a push with unknown pack id {}", node.id(), push.packId());
    }
  }

  private void stateVersion(String name, List<LuaValue> values) {
    FollowedState state = states.get(name);
    if (state == null) {
      return;
    }
    if (values.size() < 2 || !(values.get(0) instanceof LuaInteger version)
        || !(values.get(1) instanceof LuaString packed)) {
      log.warn("skynet node {}: dropped a state push on '{}' that is not (version, packstring(value))", node.id(),
          UntrustedText.escape(name));
      return;
    }
    List<LuaValue> value;
    try {
      value = pack.unpack(packed.bytes());
    } catch (SkynetFormatException e) {
      log.warn("skynet node {}: dropped a state push on '{}': {}", node.id(), UntrustedText.escape(name),
          e.getMessage());
      return;
    }
    state.version = version.value();
    state.values = value;
    send(PackIds.SUBSYN, LuaString.of(name), version);
    List<WatchSubscription> watchers = new ArrayList<>(state.watchers);
    for (String pattern : state.viaPatterns) {
      watchers.addAll(patterns.getOrDefault(pattern, Set.of()));
    }
    new LinkedHashSet<>(watchers).forEach(watcher -> watcher.state(remote, name, version.value(), value));
  }

  private void patternVersion(String pattern, List<LuaValue> values) {
    Set<WatchSubscription> watchers = patterns.get(pattern);
    if (watchers == null) {
      return;
    }
    if (values.size() < 2 || !(values.get(0) instanceof LuaInteger version)
        || !(values.get(1) instanceof LuaTable names)) {
      log.warn("skynet node {}: dropped a pattern push on '{}' that is not (version, {{[channel] = true}})",
          node.id(), UntrustedText.escape(pattern));
      return;
    }
    for (LuaValue key : names.hash().keySet()) {
      if (!(key instanceof LuaString channelName)) {
        continue;
      }
      String name = channelName.utf8();
      FollowedState state = states.get(name);
      if (state == null) {
        if (wireSubscriptions() >= maxSubscriptions) {
          log.warn("skynet node {}: not following '{}' (matches '{}'): the watch connection has {} subscriptions",
              node.id(), UntrustedText.escape(name), UntrustedText.escape(pattern), maxSubscriptions);
          continue;
        }
        state = new FollowedState();
        states.put(name, state);
        send(PackIds.SUBSYN, channelName, new LuaInteger(0));
      }
      if (state.viaPatterns.add(pattern) && state.values != null) {
        for (WatchSubscription watcher : watchers) {
          watcher.state(remote, name, state.version, state.values);
        }
      }
    }
    send(PackIds.PSUBSYN, LuaString.of(pattern), version);
  }

  private void sendSub(int packId, String name) {
    send(packId, LuaString.of(name), new LuaInteger(owner.address()), LuaString.of(owner.uniqueName()));
  }

  private void send(int packId, LuaValue... values) {
    if (ready && channel != null) {
      channel.writeAndFlush(new SkynetRequest(packId, "", "", owner.nextSession(), 0, false, pack.pack(values)));
    }
  }
}
