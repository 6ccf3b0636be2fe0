package io.frpc.internal.module;

import io.frpc.internal.Names;
import io.frpc.client.FrpcClient;
import io.frpc.client.Mod;
import io.frpc.client.Node;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a handler against the {@link FrpcClient} interfaces it implements or declares, so that caller and
 * handler sharing one contract cannot drift apart: every method of the interface must call a command the
 * handler serves, with as many arguments as the command takes.
 */
final class ClientContracts {

  private ClientContracts() {
  }

  /**
   * @param declared interfaces the handler serves without implementing them; each must be a {@link FrpcClient}
   * @throws IllegalStateException naming the interface method that does not match
   */
  static void check(String module, Class<?> handlerType, CommandTable table, List<Class<?>> declared) {
    for (Class<?> contract : declared) {
      if (contract.getAnnotation(FrpcClient.class) == null) {
        throw new IllegalStateException("handler " + handlerType.getName() + " of module '" + module + "' declares "
            + contract.getName() + " as its contract, but it is not an interface annotated @FrpcClient");
      }
    }
    Set<Class<?>> contracts = interfaces(handlerType);
    contracts.addAll(declared);
    for (Class<?> contract : contracts) {
      FrpcClient client = contract.getAnnotation(FrpcClient.class);
      if (client == null) {
        continue;
      }
      if (!client.module().equals(module)) {
        throw new IllegalStateException("handler " + handlerType.getName() + " serves module '" + module
            + "' but implements " + contract.getSimpleName() + ", the @FrpcClient of module '" + client.module() + "'");
      }
      for (Method method : contract.getMethods()) {
        if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        String command = Names.commandName(method);
        Command served = table.find(command);
        String where = contract.getSimpleName() + "." + method.getName();
        if (served == null) {
          throw new IllegalStateException(where + " calls command '" + command + "', which handler "
              + handlerType.getName() + " does not serve (its commands: " + String.join(", ",
              new TreeSet<>(table.names())) + ")");
        }
        long arguments = Arrays.stream(method.getParameters()).filter(p -> !p.isAnnotationPresent(Node.class)
            && !(p.isAnnotationPresent(Mod.class) && !p.getAnnotation(Mod.class).argument())).count();
        if (arguments != served.parameterReaders().length) {
          throw new IllegalStateException(where + " sends " + arguments + " argument(s) but command '" + command
              + "' of handler " + handlerType.getName() + " takes " + served.parameterReaders().length);
        }
      }
    }
  }

  private static Set<Class<?>> interfaces(Class<?> type) {
    Set<Class<?>> result = new LinkedHashSet<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Class<?> implemented : c.getInterfaces()) {
        collect(implemented, result);
      }
    }
    return result;
  }

  private static void collect(Class<?> type, Set<Class<?>> into) {
    if (into.add(type)) {
      for (Class<?> parent : type.getInterfaces()) {
        collect(parent, into);
      }
    }
  }
}
