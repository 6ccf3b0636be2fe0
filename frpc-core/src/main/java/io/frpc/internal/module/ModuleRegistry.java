package io.frpc.internal.module;

import io.frpc.FrpcInstance;
import io.frpc.HandlerDefinition;
import io.frpc.NodeId;
import io.frpc.status.ModuleStatus;
import io.frpc.internal.protocol.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The modules this node serves, fixed at start-up. */
public final class ModuleRegistry {

  private static final Logger log = LoggerFactory.getLogger(ModuleRegistry.class);

  private final Map<String, ServedModule> modules;

  private final String moduleNames;

  private ModuleRegistry(Map<String, ServedModule> modules) {
    this.modules = modules;
    this.moduleNames = String.join(", ", modules.keySet().stream().sorted().toList());
  }

  /**
   * Creates every handler instance and resolves its commands. Instances are indexed per instance name,
   * in definition order.
   *
   * @param node            this node
   * @param definitions     the handler groups
   * @param defaultCapacity mailbox capacity of definitions that set none
   * @param codec           encodes arguments and results
   * @param executor        runs handler code; never an I/O thread
   * @throws IllegalStateException when a handler type declares a command name twice, or does not match a
   *                               {@code @FrpcClient} interface it implements
   */
  public static ModuleRegistry create(NodeId node, List<HandlerDefinition> definitions, int defaultCapacity,
      PayloadCodec codec, Executor executor) {
    Map<String, List<ModuleInstance>> byModule = new LinkedHashMap<>();
    Map<String, Integer> nextIndex = new HashMap<>();
    Map<Class<?>, CommandTable> tables = new HashMap<>();
    for (HandlerDefinition definition : definitions) {
      checkName("module name", definition.module());
      if (definition.instanceName() != null) {
        checkName("instance name", definition.instanceName());
      }
      int capacity = definition.mailboxCapacity() > 0 ? definition.mailboxCapacity() : defaultCapacity;
      for (int i = 0; i < definition.instances(); i++) {
        String groupKey = definition.module() + "\u0000" + definition.instanceName();
        int index = nextIndex.merge(groupKey, 1, Integer::sum) - 1;
        FrpcInstance identity = new FrpcInstance(node, definition.module(), definition.instanceName(), index);
        Object handler = definition.factory().apply(identity);
        if (handler == null) {
          throw new IllegalStateException("the factory of module '" + definition.module() + "' returned null for "
              + identity);
        }
        Class<?> type = definition.handlerType() != null ? definition.handlerType() : handler.getClass();
        CommandTable table;
        if (handler instanceof FunctionHandler functions) {
          table = CommandTable.of(definition.module(), functions, codec);
        } else {
          table = tables.computeIfAbsent(type, t -> CommandTable.of(definition.module(), t, codec));
          if (i == 0) {
            ClientContracts.check(definition.module(), type, table, definition.contracts());
          }
        }
        byModule.computeIfAbsent(definition.module(), k -> new ArrayList<>()).add(new ModuleInstance(identity, handler,
            table, Mailbox.create(definition.concurrent(), definition.nonBlocking(), executor, capacity)));
      }
    }
    Map<String, ServedModule> served = new LinkedHashMap<>();
    byModule.forEach((name, instances) -> {
      ServedModule module = new ServedModule(name, instances);
      served.put(name, module);
      if (log.isDebugEnabled()) {
        log.debug("Serving module '{}' with {} instance(s); commands by instance name: {}", name, instances.size(),
            module.describeCommands(null));
      }
    });
    return new ModuleRegistry(Map.copyOf(served));
  }

  ServedModule module(String name) {
    return modules.get(name);
  }

  /** Names of the served modules, sorted and joined, for error messages (built on I/O threads). */
  String moduleNames() {
    return moduleNames;
  }

  /** Every served module with its instances, their commands and mailbox depths now. */
  public List<ModuleStatus> status() {
    List<ModuleStatus> result = new ArrayList<>();
    for (ServedModule module : modules.values()) {
      List<ModuleStatus.Instance> instances = new ArrayList<>();
      for (ModuleInstance instance : module.instances()) {
        instances.add(new ModuleStatus.Instance(instance.index(), instance.instanceName(),
            instance.handler().getClass().getName(), instance.mailbox() instanceof Mailbox.Concurrent,
            instance.mailbox().size(), List.copyOf(new TreeSet<>(instance.commands().names()))));
      }
      result.add(new ModuleStatus(module.name(), List.copyOf(instances)));
    }
    return List.copyOf(result);
  }

  private static void checkName(String what, String name) {
    if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException(what + " must be 1 to 255 UTF-8 bytes long but was '" + name + "'");
    }
  }
}
