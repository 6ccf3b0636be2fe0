package io.frpc.module;

import io.frpc.FrpcCommand;
import io.frpc.protocol.PayloadCodec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectReader;

/** The commands of one handler type: every public instance method not declared by {@link Object}. */
final class CommandTable {

  private final Map<String, Command> commands;

  private CommandTable(Map<String, Command> commands) {
    this.commands = commands;
  }

  static CommandTable of(String module, Class<?> handlerType, PayloadCodec codec) {
    Map<String, Command> commands = new TreeMap<>();
    for (Method method : handlerType.getMethods()) {
      if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())
          || method.isBridge() || method.isSynthetic()) {
        continue;
      }
      FrpcCommand override = method.getAnnotation(FrpcCommand.class);
      String name = override != null ? override.value() : method.getName();
      Command previous = commands.get(name);
      if (previous != null) {
        throw new IllegalStateException("module '" + module + "' (" + handlerType.getName()
            + ") declares command '" + name + "' twice: " + previous.signature() + " and "
            + signature(method) + "; rename one of them or give it @FrpcCommand(\"otherName\")");
      }
      if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 255) {
        throw new IllegalStateException("command name of " + signature(method)
            + " must be 1 to 255 UTF-8 bytes long");
      }
      if (!method.trySetAccessible()) {
        throw new IllegalStateException("frpc cannot call " + signature(method)
            + ": the handler class is not accessible");
      }
      Type[] parameterTypes = method.getGenericParameterTypes();
      ObjectReader[] readers = new ObjectReader[parameterTypes.length];
      for (int i = 0; i < readers.length; i++) {
        readers[i] = codec.reader(parameterTypes[i]);
      }
      commands.put(name, new Command(name, method, readers, codec.writer(method.getGenericReturnType()),
          signature(method)));
    }
    return new CommandTable(Map.copyOf(commands));
  }

  Command find(String name) {
    return commands.get(name);
  }

  String names() {
    return String.join(", ", new TreeMap<>(commands).keySet());
  }

  private static String signature(Method method) {
    return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
