package io.frpc.skynet.internal.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a call goes and how it picks the instance there: skynet_fly's mode (one node round-robin, node
 * {@code nodeId}, or all nodes) and pack id (balance, mod, broadcast, by instance name, by alias). Immutable; the
 * {@code with} methods return copies.
 *
 * @param svrName the node name
 * @param module the module, or for {@link Selection#ALIAS} the skynet service name
 * @param instanceName the instance name for the {@code _by_name} pack ids, or null
 * @param nodeId the node id (mode byid), or null
 * @param allNodes whether every active node is called (mode all)
 * @param selection how the node picks the instance
 * @param modKey the key of {@link Selection#MOD}, positive
 * @param timeout how long a call waits for its response once written
 */
public record CallTarget(String svrName, String module, String instanceName, Integer nodeId, boolean allNodes,
    Selection selection, long modKey, Duration timeout) {

  /** The default {@link #timeout()}: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /**
   * What {@code mod(0)} sends: skynet_fly cannot carry a key of 0 (its packer leaves it out and the server then
   * fails the call), so 0 travels as this, and keys 0 and {@value} reach the same instance.
   */
  public static final long ZERO_MOD_KEY = 1;

  /** How the called node picks the instance (the pack id). */
  public enum Selection {
    /** Round-robin over the instances: 100/200 (103/203 by name). */
    BALANCE(0),
    /** {@code key % instances}: 101/201 (104/204 by name). */
    MOD(1),
    /** Every instance: 102/202 (105/205 by name). */
    BROADCAST(2),
    /** The skynet service named by the module: 106/206. */
    ALIAS(6);

    private final int offset;

    Selection(int offset) {
      this.offset = offset;
    }
  }

  /** Checks the names. */
  public CallTarget {
    Objects.requireNonNull(svrName, "svrName");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  /** A balanced call to one node of {@code svrName}. */
  public static CallTarget of(String svrName, String module) {
    return new CallTarget(svrName, module, null, null, false, Selection.BALANCE, 0, DEFAULT_TIMEOUT);
  }

  /** An alias call to one node of {@code svrName}. */
  public static CallTarget alias(String svrName, String serviceName) {
    return new CallTarget(svrName, serviceName, null, null, false, Selection.ALIAS, 0, DEFAULT_TIMEOUT);
  }

  public CallTarget withNodeId(int id) {
    return new CallTarget(svrName, module, instanceName, id, false, selection, modKey, timeout);
  }

  public CallTarget withAllNodes() {
    return new CallTarget(svrName, module, instanceName, null, true, selection, modKey, timeout);
  }

  public CallTarget withInstanceName(String name) {
    Objects.requireNonNull(name, "instance name");
    return new CallTarget(svrName, module, name, nodeId, allNodes, selection, modKey, timeout);
  }

  /**
   * With {@code selection} and, for {@link Selection#MOD}, {@code key}: 0 becomes {@link #ZERO_MOD_KEY}, a
   * negative key is refused (skynet_fly refuses it).
   */
  public CallTarget withSelection(Selection newSelection, long key) {
    if (key < 0) {
      throw new IllegalArgumentException("mod key " + key + " is negative; skynet_fly carries keys 1..2^63-1"
          + " (0 is sent as " + ZERO_MOD_KEY + ")");
    }
    long wireKey = newSelection == Selection.MOD ? (key == 0 ? ZERO_MOD_KEY : key) : 0;
    return new CallTarget(svrName, module, instanceName, nodeId, allNodes, newSelection, wireKey, timeout);
  }

  public CallTarget withTimeout(Duration newTimeout) {
    return new CallTarget(svrName, module, instanceName, nodeId, allNodes, selection, modKey, newTimeout);
  }

  /** The pack id of a call ({@code expectsResponse}) or a send to this target. */
  public int packId(boolean expectsResponse) {
    int byName = instanceName != null && selection != Selection.ALIAS ? 3 : 0;
    return (expectsResponse ? 200 : 100) + selection.offset + byName;
  }

  /** The node name and, when fixed, id, as in messages. */
  String nodeText() {
    return nodeId == null ? svrName : svrName + ":" + nodeId;
  }
}
