package io.frpc.discovery;

import java.util.Map;

/**
 * Whether a discovery source currently keeps its view in step, with details for operators.
 *
 * @param healthy whether registration and watching work
 * @param details what the source reports, e.g. its type and state
 */
public record DiscoveryHealth(boolean healthy, Map<String, Object> details) {

  public DiscoveryHealth {
    details = Map.copyOf(details);
  }
}
