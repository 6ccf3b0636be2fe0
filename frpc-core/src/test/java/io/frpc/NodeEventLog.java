package io.frpc;

import java.util.List;

/** Writes each node transition into {@code events}, as {@code "up game:1"} or {@code "down game:1 SHUTDOWN"}. */
public record NodeEventLog(List<String> events) implements NodeListener {

  @Override
  public void nodeUp(RemoteNode node) {
    events.add("up " + node.id());
  }

  @Override
  public void nodeDown(RemoteNode node, NodeDownReason reason) {
    events.add("down " + node.id() + " " + reason);
  }
}
