package io.frpc.skynet.internal.client;

import io.frpc.NodeId;
import io.frpc.RemoteNode;
import io.frpc.skynet.LuaValue;
import java.util.List;

/**
 * What a subscription made through {@link SkynetWatches} receives, as Lua values: called one at a time, in order, on
 * the subscription's delivery thread, never on an I/O thread.
 */
public interface WatchListener {

  /**
   * A message published on {@code channel} ({@code skynet.pack} of the published values, unpacked).
   *
   * @param dropped messages of this subscription lost just before this one (its backlog was full)
   */
  void message(RemoteNode node, String channel, List<LuaValue> values, long dropped);

  /** A version of state channel {@code channel}: the values of its {@code pubsyn}, unpacked. */
  void state(RemoteNode node, String channel, long version, List<LuaValue> values);

  /** The subscription was (re)established on {@code node}'s watch connection. */
  void joined(RemoteNode node);

  /** {@code node}'s watch connection closed; nothing arrives from it until {@link #joined}. */
  void lost(RemoteNode node);

  /** {@code node} cannot take the subscription (its watch connection has as many as it may hold). */
  void refused(NodeId node, String reason);
}
