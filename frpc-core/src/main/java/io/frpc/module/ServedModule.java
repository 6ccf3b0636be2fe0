package io.frpc.module;

import java.util.List;
import java.util.Map;

/**
 * A module this node serves: its instances in index order and the groups by instance name.
 *
 * @param name      module name
 * @param instances every instance, index order
 * @param all       group of every instance
 * @param byName    groups by instance name
 */
record ServedModule(String name, List<ModuleInstance> instances, InstanceGroup all,
    Map<String, InstanceGroup> byName) {

  InstanceGroup group(String instanceName) {
    return instanceName == null ? all : byName.get(instanceName);
  }
}
