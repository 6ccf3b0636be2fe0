package io.frpc;

/**
 * frpc cannot start as configured: a property is missing or invalid, or the listener cannot bind. The
 * message says what is wrong; {@link #action()} says what to change.
 */
public class FrpcConfigurationException extends IllegalArgumentException {

  private final String property;
  private final String action;

  /**
   * @param property the property to change, e.g. {@code frpc.node.name}, or {@code null}
   * @param problem  what is wrong
   * @param action   what to change
   */
  public FrpcConfigurationException(String property, String problem, String action) {
    this(property, problem, action, null);
  }

  /** Like {@link #FrpcConfigurationException(String, String, String)} with the underlying cause. */
  public FrpcConfigurationException(String property, String problem, String action, Throwable cause) {
    super(problem + (action == null ? "" : "; " + action), cause);
    this.property = property;
    this.action = action;
  }

  /** The property to change, or {@code null} when no single property is at fault. */
  public String property() {
    return property;
  }

  /** What to change. */
  public String action() {
    return action;
  }
}
