package io.frpc.internal.routing;

import io.frpc.internal.protocol.InstanceSelection;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a call goes: which node(s), which instance(s), the timeout its deadline starts from, and whether it may
 * run twice.
 *
 * @param nodeName     node name
 * @param nodeId       a specific node id, or {@code null} for the node's load balancing (or key-based with {@code MOD})
 * @param allNodes     every connected node of the name
 * @param module       module name
 * @param instanceName instance-name filter, or {@code null}
 * @param selection    instance selection on each node
 * @param modKey       key for {@link InstanceSelection#MOD}
 * @param timeout      the timeout the call's deadline is set by, or {@code null} for {@code frpc.client.call-timeout}
 * @param idempotent   whether running the command twice does no harm: a call that may have run is retried
 * @param hedgeAfter   with {@code idempotent}: how long to wait for a reply before asking another node as well, or
 *                     {@code null} for no hedging
 */
public record CallTarget(String nodeName, Integer nodeId, boolean allNodes, String module, String instanceName,
    InstanceSelection selection, long modKey, Duration timeout, boolean idempotent, Duration hedgeAfter) {

  public CallTarget {
    requireName("node name", nodeName);
    requireName("module", module);
    Objects.requireNonNull(selection, "selection");
    if (timeout != null && timeout.compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
    if (hedgeAfter != null && (hedgeAfter.isNegative() || hedgeAfter.isZero())) {
      throw new IllegalArgumentException("hedge delay must be positive but was " + hedgeAfter);
    }
  }

  /** One node by the node's load balancing, balanced instance, default deadline. */
  public static CallTarget of(String nodeName, String module) {
    return new CallTarget(nodeName, null, false, module, null, InstanceSelection.BALANCE, 0, null, false, null);
  }

  public CallTarget withNodeId(Integer id) {
    return new CallTarget(nodeName, id, false, module, instanceName, selection, modKey, timeout, idempotent,
        hedgeAfter);
  }

  public CallTarget withAllNodes() {
    return new CallTarget(nodeName, null, true, module, instanceName, selection, modKey, timeout, idempotent,
        hedgeAfter);
  }

  public CallTarget withInstanceName(String name) {
    if (name != null && name.isEmpty()) {
      throw new IllegalArgumentException("instance name must not be empty");
    }
    return new CallTarget(nodeName, nodeId, allNodes, module, name, selection, modKey, timeout, idempotent,
        hedgeAfter);
  }

  public CallTarget withSelection(InstanceSelection newSelection, long key) {
    return new CallTarget(nodeName, nodeId, allNodes, module, instanceName, newSelection, key, timeout, idempotent,
        hedgeAfter);
  }

  public CallTarget withTimeout(Duration newTimeout) {
    return new CallTarget(nodeName, nodeId, allNodes, module, instanceName, selection, modKey,
        Objects.requireNonNull(newTimeout, "timeout"), idempotent, hedgeAfter);
  }

  /** Marks the command idempotent: safe to run more than once. */
  public CallTarget withIdempotent() {
    return new CallTarget(nodeName, nodeId, allNodes, module, instanceName, selection, modKey, timeout, true,
        hedgeAfter);
  }

  /** Asks another node as well when no reply came within {@code after}; the command must be idempotent. */
  public CallTarget withHedge(Duration after) {
    return new CallTarget(nodeName, nodeId, allNodes, module, instanceName, selection, modKey, timeout, true,
        Objects.requireNonNull(after, "after"));
  }

  private static void requireName(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
