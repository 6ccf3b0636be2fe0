package io.frpc;

/**
 * Who a handler object is: the node it runs on, its module, its instance name and its index. A handler
 * receives it as a constructor parameter (Spring) or through its factory ({@link FrpcNode.Builder#handler}).
 * <pre>{@code
 * @FrpcHandler(module = "room_m", instanceName = "rooms", instances = 4)
 * class RoomModule {
 *   RoomModule(FrpcInstance self) { log.info("room instance {} of {}", self.index(), self.node()); }
 * }
 * }</pre>
 *
 * @param node         the node serving the module
 * @param module       the module name
 * @param instanceName the instance name, or {@code null} for instances without one
 * @param index        0-based index among the module's instances of the same instance name; replies
 *                     ({@link InstanceReply#index()}) and error messages use the same index
 */
public record FrpcInstance(NodeId node, String module, String instanceName, int index) {

  /** Returns {@code module[instanceName]#index@node}, e.g. {@code room_m[rooms]#2@game:1}. */
  @Override
  public String toString() {
    return module + (instanceName == null ? "" : "[" + instanceName + "]") + "#" + index + "@" + node;
  }
}
