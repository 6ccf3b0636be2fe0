package io.frpc.protocol;

/** Which instance(s) of a module a request goes to on the receiving node. */
public enum InstanceSelection {
  /** Round-robin over the module's instances. */
  BALANCE,
  /** The instance at index {@code key mod count}: the same key always reaches the same instance. */
  MOD,
  /** Every instance. */
  BROADCAST;

  static final InstanceSelection[] VALUES = values();
}
