package io.frpc.internal.transport;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The listener's connections that have not completed the handshake, oldest first: in all, per remote address
 * and per {@link RemoteNetwork}. A connection that would exceed one of these limits closes the oldest
 * connection of that address, network or listener instead of being refused: a peer completes its handshake in
 * milliseconds and keeps finding room, while connections that linger in the handshake make room for newer
 * ones, from whatever addresses they come.
 *
 * <p>Thread-safe: connections of different event loops take and leave slots concurrently. Every operation is
 * a few hash-set steps under one lock; the bookkeeping never holds more entries than
 * {@link ConnectionLimits#maxHandshaking()}.
 */
final class HandshakeSlots {

  /** One connection's place among those in the handshake. */
  final class Slot {

    private final Channel channel;
    private final InetAddress address;
    private final RemoteNetwork network;
    /** Whether the listener closed the connection to make room for another. */
    private volatile boolean evicted;

    private Slot(Channel channel, InetAddress address, RemoteNetwork network) {
      this.channel = channel;
      this.address = address;
      this.network = network;
    }

    /** The connection no longer counts: it completed the handshake, or closed. Later calls do nothing. */
    void release() {
      synchronized (HandshakeSlots.this) {
        remove(this);
      }
    }

    /** Whether the listener closed the connection to make room for another one in the handshake. */
    boolean evicted() {
      return evicted;
    }
  }

  /** The oldest connection of a full group, to close once the lock is released. */
  private record Eviction(Slot slot, String limit, String reason) {
  }

  private final ConnectionLimits limits;
  private final Refusals refusals;
  // guarded by this; insertion order is age
  private final LinkedHashSet<Slot> all = new LinkedHashSet<>();
  private final Map<InetAddress, LinkedHashSet<Slot>> byAddress = new HashMap<>();
  private final Map<RemoteNetwork, LinkedHashSet<Slot>> byNetwork = new HashMap<>();

  /** @param refusals where the connections closed to make room are logged and counted */
  HandshakeSlots(ConnectionLimits limits, Refusals refusals) {
    this.limits = limits;
    this.refusals = refusals;
  }

  /**
   * Takes a slot for the accepted {@code channel} from {@code remote}, first closing the oldest connection of
   * its address, of its network and of the listener where they have no room left.
   */
  Slot take(Channel channel, InetSocketAddress remote) {
    InetAddress address = remote.getAddress();
    RemoteNetwork network = RemoteNetwork.of(address);
    Slot slot = new Slot(channel, address, network);
    List<Eviction> evictions = new ArrayList<>(0);
    synchronized (this) {
      LinkedHashSet<Slot> fromAddress = byAddress.get(address);
      if (fromAddress != null && fromAddress.size() >= limits.maxHandshakingPerAddress()) {
        evictions.add(evict(fromAddress, "frpc.server.max-handshaking-per-address", "the limit of "
            + limits.maxHandshakingPerAddress() + " connections from " + address.getHostAddress()
            + " in the handshake is reached"));
      }
      LinkedHashSet<Slot> fromNetwork = byNetwork.get(network);
      if (fromNetwork != null && fromNetwork.size() >= limits.maxHandshakingPerNetwork()) {
        evictions.add(evict(fromNetwork, "frpc.server.max-handshaking-per-network", "the limit of "
            + limits.maxHandshakingPerNetwork() + " connections from " + network + " in the handshake is reached"));
      }
      if (all.size() >= limits.maxHandshaking()) {
        evictions.add(evict(all, "frpc.server.max-handshaking", "the limit of " + limits.maxHandshaking()
            + " connections in the handshake is reached"));
      }
      all.add(slot);
      byAddress.computeIfAbsent(address, key -> new LinkedHashSet<>()).add(slot);
      byNetwork.computeIfAbsent(network, key -> new LinkedHashSet<>()).add(slot);
    }
    evictions.forEach(eviction -> close(eviction, remote));
    return slot;
  }

  /**
   * Closes the oldest connection still in the handshake, to make room for one from {@code remote} under
   * {@code frpc.server.max-connections}.
   *
   * @return false when every connection has completed the handshake
   */
  boolean evictOldest(InetSocketAddress remote) {
    Eviction eviction;
    synchronized (this) {
      if (all.isEmpty()) {
        return false;
      }
      eviction = evict(all, "frpc.server.max-connections", "the limit of " + limits.maxConnections()
          + " open connections is reached");
    }
    close(eviction, remote);
    return true;
  }

  /** Connections still in the handshake. */
  synchronized int size() {
    return all.size();
  }

  private Eviction evict(LinkedHashSet<Slot> full, String limit, String reason) {
    Slot oldest = full.iterator().next();
    oldest.evicted = true;
    remove(oldest);
    return new Eviction(oldest, limit, reason + " (" + limit + ")");
  }

  private void remove(Slot slot) {
    if (all.remove(slot)) {
      removeFrom(byAddress, slot.address, slot);
      removeFrom(byNetwork, slot.network, slot);
    }
  }

  private static <K> void removeFrom(Map<K, LinkedHashSet<Slot>> groups, K key, Slot slot) {
    LinkedHashSet<Slot> group = groups.get(key);
    group.remove(slot);
    if (group.isEmpty()) {
      groups.remove(key);
    }
  }

  private void close(Eviction eviction, InetSocketAddress newcomer) {
    refusals.refused(eviction.limit(), "Closing the oldest connection still in the handshake, from "
        + eviction.slot().channel.remoteAddress() + ", to make room for one from " + newcomer + ": "
        + eviction.reason());
    eviction.slot().channel.close();
  }
}
