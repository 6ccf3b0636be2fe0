package io.frpc;

import java.util.UUID;

/**
 * This process's node: its identity and the boot id that tells its peers a restart happened.
 *
 * @param id     this node's name and id
 * @param bootId changes with every process start
 */
public record LocalNode(NodeId id, String bootId) {

  /** A local node with a fresh random boot id. */
  public static LocalNode start(String name, int id) {
    return new LocalNode(new NodeId(name, id), UUID.randomUUID().toString());
  }
}
