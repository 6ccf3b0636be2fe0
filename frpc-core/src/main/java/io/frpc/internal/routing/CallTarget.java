package io.frpc.internal.routing;

import io.frpc.internal.protocol.InstanceSelection;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a call goes: which node(s), which instance(s), and its deadline.
 *
 * @param nodeName     node name
 * @param nodeId       a specific node id, or {@code null} for the node's load balancing (or key-based with {@code MOD})
 * @param allNodes     every connected node of the name
 * @param module       module name
 * @param instanceName instance-name filter, or {@code null}
 * @param selection    instance selection on each node
 * @param modKey       key for {@link InstanceSelection#MOD}
 * @param timeout      deadline, or {@code null} for {@code frpc.client.call-timeout}
 */
public record CallTarget(String nodeName, Integer nodeId, boolean allNodes, String module, String instanceName,
    InstanceSelection selection, long modKey, Duration timeout) {

  public CallTarget {
    requireName("node name", nodeName);
    requireName("module", module);
    Objects.requireNonNull(selection, "selection");
    if (timeout != null && timeout.compareTo(Duration.ZERO) <= 0) {
      throw new IllegalArgumentException("timeout must be positive but was " + timeout);
    }
  }

  /** One node by the node's load balancing, balanced instance, default deadline. */
  public static CallTarget of(String nodeName, String module) {
    return new CallTarget(nodeName, null, false, module, null, InstanceSelection.BALANCE, 0, null);
  }

  public CallTarget withNodeId(Integer id) {
    return new CallTarget(nodeName, id, false, module, instanceName, selection, modKey, timeout);
  }

  public CallTarget withAllNodes() {
    return new CallTarget(nodeName, null, true, module, instanceName, selection, modKey, timeout);
  }

  public CallTarget withInstanceName(String name) {
    if (name != null && name.isEmpty()) {
      throw new IllegalArgumentException("instance name must not be empty");
    }
    return new CallTarget(nodeName, nodeId, allNodes, module, name, selection, modKey, timeout);
  }

  public CallTarget withSelection(InstanceSelection newSelection, long key) {
    return new CallTarget(nodeName, nodeId, allNodes, module, instanceName, newSelection, key, timeout);
  }

  public CallTarget withTimeout(Duration newTimeout) {
    return new CallTarget(nodeName, nodeId, allNodes, module, instanceName, selection, modKey,
        Objects.requireNonNull(newTimeout, "timeout"));
  }

  private static void requireName(String what, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }
}
