package io.frpc.bridge;

import java.time.Duration;
import java.util.Objects;

/**
 * A request for this node's module {@code module}, as another protocol's peer made it.
 *
 * @param module       the module
 * @param instanceName only instances of this name, or {@code null} for any
 * @param pick         which instance runs it
 * @param modKey       the key for {@link Pick#MOD}
 * @param command      the command
 * @param arguments    the arguments, each a value Jackson writes (a {@code JsonNode}, a String, a number…), bound to
 *                     the command's parameter types as frpc arguments are
 * @param deadline     how long the caller waits at most, counted from now; {@code null} for no deadline
 */
public record BridgeRequest(String module, String instanceName, Pick pick, long modKey, String command,
    Object[] arguments, Duration deadline) {

  /** Which instance (or instances) of the module run the request. */
  public enum Pick {
    /** The next instance in turn. */
    BALANCE,
    /** Instance {@code modKey mod instances}: one key always reaches the same instance. */
    MOD,
    /** Every instance. */
    BROADCAST
  }

  public BridgeRequest {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(pick, "pick");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(arguments, "arguments");
    if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
      throw new IllegalArgumentException("deadline must be positive: " + deadline);
    }
  }
}
