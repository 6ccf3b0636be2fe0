package io.frpc.internal.module;

import io.frpc.internal.Names;
import io.frpc.FrpcIgnore;
import io.frpc.internal.protocol.PayloadCodec;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.ObjectReader;

/**
 * The commands of one handler type: the public instance methods declared by the class and its
 * superclasses below {@link Object}, except bridge and synthetic methods, methods marked
 * {@link FrpcIgnore}, methods that implement a Spring callback interface, and methods annotated for the
 * container (injection, lifecycle callbacks, event listeners, scheduling). Known by name, so frpc-core
 * needs no Spring on its classpath.
 */
final class CommandTable {

  private static final String NAME_RULE = "1 to 255 UTF-8 bytes long";

  /** Annotations that mark a method as the container's, matched directly or as meta-annotations. */
  private static final Set<String> CONTAINER_ANNOTATIONS = Set.of(
      "org.springframework.beans.factory.annotation.Autowired",
      "org.springframework.beans.factory.annotation.Value",
      "org.springframework.context.annotation.Bean",
      "org.springframework.context.event.EventListener",
      "org.springframework.scheduling.annotation.Scheduled",
      "jakarta.annotation.PostConstruct",
      "jakarta.annotation.PreDestroy",
      "jakarta.inject.Inject",
      "javax.annotation.PostConstruct",
      "javax.annotation.PreDestroy",
      "javax.inject.Inject");

  private final Map<String, Command> commands;
  private final Set<String> names;

  private CommandTable(Map<String, Command> commands) {
    this.commands = commands;
    this.names = Collections.unmodifiableSet(new TreeSet<>(commands.keySet()));
  }

  static CommandTable of(String module, Class<?> handlerType, PayloadCodec codec) {
    Map<String, Command> commands = new TreeMap<>();
    for (Method method : exposedMethods(handlerType)) {
      String name = Names.commandName(method);
      Command previous = commands.get(name);
      if (previous != null) {
        throw new IllegalStateException("module '" + module + "' (" + handlerType.getName()
            + ") declares command '" + name + "' twice: " + previous.signature() + " and "
            + signature(method) + "; rename one of them, give it @FrpcCommand(\"otherName\") or hide it with"
            + " @FrpcIgnore");
      }
      if (!isValidName(name)) {
        throw new IllegalStateException("command name of " + signature(method) + " must be " + NAME_RULE);
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
      commands.put(name, Command.of(name, method, readers, codec.writer(method.getGenericReturnType()),
          signature(method)));
    }
    return new CommandTable(Map.copyOf(commands));
  }

  /** The commands of a function handler, by the names it lists. */
  static CommandTable of(String module, FunctionHandler handler, PayloadCodec codec) {
    Map<String, Command> commands = new TreeMap<>();
    for (String name : handler.commandNames()) {
      if (!isValidName(name)) {
        throw new IllegalStateException("command name '" + name + "' of module '" + module + "' must be "
            + NAME_RULE);
      }
      commands.put(name, Command.function(name, codec));
    }
    return new CommandTable(Map.copyOf(commands));
  }

  /** A command name travels as a short string: 1 to 255 UTF-8 bytes. */
  private static boolean isValidName(String name) {
    return !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= 255;
  }

  /** Public methods of the class and its superclasses below Object, most derived first, overrides once. */
  private static List<Method> exposedMethods(Class<?> handlerType) {
    List<Method> exposed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> containerCallbacks = springCallbackSignatures(handlerType);
    for (Class<?> type = handlerType; type != null && type != Object.class; type = type.getSuperclass()) {
      Method[] declared = type.getDeclaredMethods();
      Arrays.sort(declared, (a, b) -> a.toString().compareTo(b.toString()));
      for (Method method : declared) {
        int modifiers = method.getModifiers();
        String key = overrideKey(method);
        if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || method.isBridge()
            || method.isSynthetic() || !seen.add(key)) {
          continue;
        }
        if (method.isAnnotationPresent(FrpcIgnore.class) || containerCallbacks.contains(key)
            || isForTheContainer(method)) {
          continue;
        }
        exposed.add(method);
      }
    }
    return exposed;
  }

  /** Signatures of the methods of every Spring interface the type implements (Aware, InitializingBean, ...). */
  private static Set<String> springCallbackSignatures(Class<?> handlerType) {
    Set<String> signatures = new HashSet<>();
    for (Class<?> type = handlerType; type != null; type = type.getSuperclass()) {
      for (Class<?> contract : type.getInterfaces()) {
        collectSpringInterfaceMethods(contract, signatures);
      }
    }
    return signatures;
  }

  private static void collectSpringInterfaceMethods(Class<?> contract, Set<String> signatures) {
    if (contract.getName().startsWith("org.springframework.")) {
      for (Method method : contract.getMethods()) {
        signatures.add(overrideKey(method));
      }
    }
    for (Class<?> parent : contract.getInterfaces()) {
      collectSpringInterfaceMethods(parent, signatures);
    }
  }

  private static boolean isForTheContainer(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      Class<? extends Annotation> type = annotation.annotationType();
      if (CONTAINER_ANNOTATIONS.contains(type.getName())) {
        return true;
      }
      for (Annotation meta : type.getAnnotations()) {
        if (CONTAINER_ANNOTATIONS.contains(meta.annotationType().getName())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String overrideKey(Method method) {
    return method.getName() + Arrays.toString(method.getParameterTypes());
  }

  Command find(String name) {
    return commands.get(name);
  }

  /** The command names, sorted. */
  Set<String> names() {
    return names;
  }

  private static String signature(Method method) {
    return method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
        .collect(Collectors.joining(", ", "(", ")"));
  }
}
