package io.frpc.internal.module;

import java.util.concurrent.atomic.AtomicInteger;

/** The instances a request may go to: all of a module's, or those sharing one instance name. */
final class InstanceGroup {

  private final ModuleInstance[] members;
  private final AtomicInteger next = new AtomicInteger();

  InstanceGroup(ModuleInstance[] members) {
    this.members = members;
  }

  ModuleInstance nextBalanced() {
    return members[Math.floorMod(next.getAndIncrement(), members.length)];
  }

  ModuleInstance byKey(long key) {
    return members[(int) Math.floorMod(key, (long) members.length)];
  }

  ModuleInstance[] members() {
    return members;
  }
}
