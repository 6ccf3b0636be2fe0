package io.frpc;

import java.util.Objects;

/**
 * Identity of one frpc node: a cluster-wide node {@code name} shared by all processes of one role
 * (for example {@code game}) and an integer {@code id} unique within that name.
 *
 * @param name node name, never blank
 * @param id   node id within the name
 */
public record NodeId(String name, int id) implements Comparable<NodeId> {

  public NodeId {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("node name must not be blank");
    }
  }

  @Override
  public int compareTo(NodeId other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : Integer.compare(id, other.id);
  }

  /** Returns {@code name:id}, the form used in logs and messages. */
  @Override
  public String toString() {
    return name + ":" + id;
  }
}
