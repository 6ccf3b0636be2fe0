package io.frpc.skynet.client;

import io.frpc.NodeId;
import io.frpc.skynet.LuaValue;
import java.util.List;

/**
 * Every value a skynet_fly command returned, as Lua values, and the node that ran it (skynet_fly's
 * {@code {cluster_name = ..., result = {..., n = count}}}).
 *
 * @param node the node that answered
 * @param values the returned values in order, nil ones included ({@code return 1, nil, "three"} is three values)
 */
public record LuaReply(NodeId node, List<LuaValue> values) {

  /** Copies the values. */
  public LuaReply {
    values = List.copyOf(values);
  }

  /** The number of returned values (Lua's {@code select("#", ...)}). */
  public int size() {
    return values.size();
  }

  /** The value at {@code index} (0-based), nil beyond the returned values, as Lua reads a missing one. */
  public LuaValue get(int index) {
    return index >= 0 && index < values.size() ? values.get(index) : LuaValue.nil();
  }
}
