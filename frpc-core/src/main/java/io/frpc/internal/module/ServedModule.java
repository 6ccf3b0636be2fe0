package io.frpc.internal.module;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A module this node serves: its instances, and for every (instance name, command) the instances that
 * can run it. A call without an instance name chooses among every instance serving its command.
 */
final class ServedModule {

  private final String name;
  private final List<ModuleInstance> instances;
  /** Instance-name groups by name; the instances without a name under the key {@code ""}. */
  private final Map<String, List<ModuleInstance>> byName;
  /** Instances serving each command, per instance name ({@code ""}: across all names). */
  private final Map<String, Map<String, InstanceGroup>> byNameAndCommand;
  /** Each group's commands by instance name, and all of them, for error messages. */
  private final Map<String, String> commandsByName;
  private final String allCommands;
  private final String instanceNames;

  ServedModule(String name, List<ModuleInstance> instances) {
    this.name = name;
    this.instances = List.copyOf(instances);
    Map<String, List<ModuleInstance>> names = new LinkedHashMap<>();
    Map<String, Map<String, List<ModuleInstance>>> serving = new HashMap<>();
    for (ModuleInstance instance : instances) {
      String group = instance.instanceName() == null ? "" : instance.instanceName();
      names.computeIfAbsent(group, k -> new ArrayList<>()).add(instance);
      for (String command : instance.commands().names()) {
        serving.computeIfAbsent("", k -> new HashMap<>()).computeIfAbsent(command, k -> new ArrayList<>())
            .add(instance);
        if (instance.instanceName() != null) {
          serving.computeIfAbsent(group, k -> new HashMap<>()).computeIfAbsent(command, k -> new ArrayList<>())
              .add(instance);
        }
      }
    }
    this.byName = names;
    Map<String, Map<String, InstanceGroup>> groups = new HashMap<>();
    serving.forEach((group, commands) -> {
      Map<String, InstanceGroup> byCommand = new HashMap<>();
      commands.forEach((command, members) -> byCommand.put(command,
          new InstanceGroup(members.toArray(ModuleInstance[]::new))));
      groups.put(group, Map.copyOf(byCommand));
    });
    this.byNameAndCommand = Map.copyOf(groups);
    // Error messages are built on the I/O thread, possibly for every request of a peer: compute them once.
    Map<String, String> described = new LinkedHashMap<>();
    names.forEach((group, members) -> {
      Set<String> commands = new TreeSet<>();
      members.forEach(member -> commands.addAll(member.commands().names()));
      described.put(group, (group.isEmpty() ? "unnamed instances" : "'" + group + "'") + ": "
          + String.join(", ", commands));
    });
    this.commandsByName = Map.copyOf(described);
    this.allCommands = String.join("; ", described.values());
    Set<String> instanceNames = new TreeSet<>(names.keySet());
    instanceNames.remove("");
    this.instanceNames = String.join(", ", instanceNames);
  }

  String name() {
    return name;
  }

  List<ModuleInstance> instances() {
    return instances;
  }

  /** Whether instances named {@code instanceName} exist. */
  boolean hasInstanceName(String instanceName) {
    return byName.containsKey(instanceName);
  }

  /** The instances (of {@code instanceName}, or of any name when null) that serve {@code command}, or null. */
  InstanceGroup group(String instanceName, String command) {
    Map<String, InstanceGroup> byCommand = byNameAndCommand.get(instanceName == null ? "" : instanceName);
    return byCommand == null ? null : byCommand.get(command);
  }

  /** The instance names, for error messages. */
  String instanceNames() {
    return instanceNames;
  }

  /** Each group's commands, e.g. {@code 'match': cancel, find; 'rooms': join}, for error messages. */
  String describeCommands(String instanceName) {
    return instanceName == null ? allCommands : commandsByName.getOrDefault(instanceName, "");
  }
}
