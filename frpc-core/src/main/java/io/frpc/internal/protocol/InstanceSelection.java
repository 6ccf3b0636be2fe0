package io.frpc.internal.protocol;

/** Which instance(s) of a module a request goes to on the receiving node; each travels as its wire code. */
public enum InstanceSelection {
  /** Round-robin over the instances serving the command. */
  BALANCE(0),
  /** The instance at index {@code key mod count}: the same key always reaches the same instance. */
  MOD(1),
  /** Every instance serving the command. */
  BROADCAST(2);

  private final int wireCode;

  InstanceSelection(int wireCode) {
    this.wireCode = wireCode;
  }

  /** The number this selection travels as (two bits of the REQUEST flags byte). */
  int wireCode() {
    return wireCode;
  }

  /** The selection of a wire code. */
  static InstanceSelection ofWireCode(int code) {
    return switch (code) {
      case 0 -> BALANCE;
      case 1 -> MOD;
      case 2 -> BROADCAST;
      default -> throw new ProtocolException("unknown instance selection " + code);
    };
  }
}
