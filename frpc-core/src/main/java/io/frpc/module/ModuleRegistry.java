package io.frpc.module;

import io.frpc.protocol.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/** The modules this node serves, fixed at start-up. Build one with {@link #builder()}. */
public final class ModuleRegistry {

  private final Map<String, ServedModule> modules;

  private ModuleRegistry(Map<String, ServedModule> modules) {
    this.modules = modules;
  }

  /** A builder to which handler instances are added one by one. */
  public static Builder builder() {
    return new Builder();
  }

  ServedModule module(String name) {
    return modules.get(name);
  }

  /** Names of the served modules, for error messages and diagnostics. */
  public List<String> moduleNames() {
    return List.copyOf(modules.keySet());
  }

  /** A description of every served module, for diagnostics. */
  public List<ModuleDescription> describe() {
    List<ModuleDescription> result = new ArrayList<>();
    for (ServedModule module : modules.values()) {
      List<ModuleDescription.Instance> instances = new ArrayList<>();
      for (ModuleInstance instance : module.instances()) {
        instances.add(new ModuleDescription.Instance(instance.index(), instance.instanceName(),
            instance.handler().getClass().getName(), instance.mailbox() instanceof Mailbox.Concurrent,
            instance.mailbox().size()));
      }
      result.add(new ModuleDescription(module.name(), List.copyOf(instances)));
    }
    return List.copyOf(result);
  }

  /** Collects handler instances; instances of one module get indexes in the order they are added. */
  public static final class Builder {

    private final Map<String, List<Pending>> modules = new LinkedHashMap<>();

    private Builder() {
    }

    /**
     * Adds one instance.
     *
     * @param module          module name
     * @param instanceName    instance name, or {@code null}
     * @param handler         the handler object; it receives this instance's commands only
     * @param handlerType     the type whose public methods are the commands (the user class behind a proxy)
     * @param concurrent      whether messages may run in parallel on this instance
     * @param mailboxCapacity messages that may be queued or running before callers get "overloaded"
     */
    public Builder instance(String module, String instanceName, Object handler, Class<?> handlerType,
        boolean concurrent, int mailboxCapacity) {
      Objects.requireNonNull(handler, "handler");
      checkName("module name", module);
      if (instanceName != null && !instanceName.isEmpty()) {
        checkName("instance name", instanceName);
      }
      if (mailboxCapacity < 1) {
        throw new IllegalArgumentException("mailbox capacity of module '" + module + "' must be positive");
      }
      modules.computeIfAbsent(module, k -> new ArrayList<>()).add(new Pending(
          instanceName == null || instanceName.isEmpty() ? null : instanceName, handler, handlerType,
          concurrent, mailboxCapacity));
      return this;
    }

    /**
     * Resolves every handler type's commands and creates the mailboxes.
     *
     * @param codec    encodes arguments and results
     * @param executor runs handler code; never an I/O thread
     * @throws IllegalStateException when a handler type declares a command name twice
     */
    public ModuleRegistry build(PayloadCodec codec, Executor executor) {
      Map<Class<?>, CommandTable> tables = new HashMap<>();
      Map<String, ServedModule> served = new LinkedHashMap<>();
      modules.forEach((name, pending) -> {
        List<ModuleInstance> instances = new ArrayList<>();
        Map<String, List<ModuleInstance>> byName = new LinkedHashMap<>();
        for (Pending p : pending) {
          CommandTable table = tables.computeIfAbsent(p.handlerType, t -> CommandTable.of(name, t, codec));
          ModuleInstance instance = new ModuleInstance(instances.size(), p.instanceName, p.handler, table,
              Mailbox.create(p.concurrent, executor, p.mailboxCapacity));
          instances.add(instance);
          if (p.instanceName != null) {
            byName.computeIfAbsent(p.instanceName, k -> new ArrayList<>()).add(instance);
          }
        }
        Map<String, InstanceGroup> groups = new HashMap<>();
        byName.forEach((k, v) -> groups.put(k, new InstanceGroup(v.toArray(ModuleInstance[]::new))));
        served.put(name, new ServedModule(name, List.copyOf(instances),
            new InstanceGroup(instances.toArray(ModuleInstance[]::new)), Map.copyOf(groups)));
      });
      return new ModuleRegistry(Map.copyOf(served));
    }

    private static void checkName(String what, String name) {
      if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw new IllegalArgumentException(what + " must be 1 to 255 UTF-8 bytes long but was '" + name + "'");
      }
    }

    private record Pending(String instanceName, Object handler, Class<?> handlerType, boolean concurrent,
        int mailboxCapacity) {
    }
  }
}
