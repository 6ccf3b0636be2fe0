package io.frpc.status;

import java.util.List;

/**
 * A module this node serves.
 *
 * @param module    the module name
 * @param instances its instances
 */
public record ModuleStatus(String module, List<Instance> instances) {

  /**
   * One handler instance.
   *
   * @param index        index among the module's instances of its instance name
   * @param instanceName instance name, or {@code null}
   * @param handlerType  class of the handler object
   * @param concurrent   whether messages run in parallel ({@code concurrent = true}) rather than one at a time
   * @param mailboxDepth messages queued or running now
   * @param commands     the commands it serves
   */
  public record Instance(int index, String instanceName, String handlerType, boolean concurrent, int mailboxDepth,
      List<String> commands) {
  }
}
