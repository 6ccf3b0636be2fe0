package io.frpc.internal.module;

import java.util.List;

/**
 * A served module as reported by diagnostics.
 *
 * @param name      module name
 * @param instances its instances
 */
public record ModuleDescription(String name, List<Instance> instances) {

  /**
   * One instance.
   *
   * @param index        index among the module's instances of the same instance name
   * @param instanceName instance name, or {@code null}
   * @param handlerType  class of the handler object
   * @param concurrent   whether messages run in parallel
   * @param queued       messages queued or running now
   * @param commands     the commands it serves
   */
  public record Instance(int index, String instanceName, String handlerType, boolean concurrent, int queued,
      List<String> commands) {
  }
}
