package io.frpc.internal.client;

import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcTemplate;
import io.frpc.client.FrpcClient;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates the proxies of {@link FrpcClient} interfaces. Everything a method needs (command, operation,
 * routing, result type) is resolved once, when the client is created; a call only fills in its
 * arguments.
 */
public final class TypedClients {

  private TypedClients() {
  }

  /**
   * A client of {@code type} calling through {@code frpc}.
   *
   * @throws FrpcConfigurationException when {@code type} is not a valid client interface, naming the method
   */
  public static <T> T create(Class<T> type, FrpcTemplate frpc) {
    if (!type.isInterface()) {
      throw invalid(type, type.getName() + " is not an interface");
    }
    FrpcClient spec = type.getAnnotation(FrpcClient.class);
    if (spec == null) {
      throw invalid(type, type.getName() + " is not annotated @FrpcClient(node = ..., module = ...)");
    }
    Map<Method, MethodPlan> plans = new HashMap<>();
    Map<String, Method> names = new HashMap<>();
    for (Method method : type.getMethods()) {
      if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Method previous = names.put(method.getName(), method);
      if (previous != null) {
        throw invalid(type, "method '" + method.getName() + "' is overloaded in " + type.getName() + " ("
            + MethodPlan.describe(previous) + " and " + MethodPlan.describe(method) + "); commands are called by "
            + "name and arguments are not typed on the wire, so give each its own name (several methods may "
            + "call one command with @FrpcCommand)");
      }
      plans.put(method, MethodPlan.of(frpc, spec, method));
    }
    InvocationHandler handler = (proxy, method, args) -> {
      MethodPlan plan = plans.get(method);
      if (plan != null) {
        return plan.invoke(args);
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      return switch (method.getName()) {
        case "toString" -> "frpc client " + type.getSimpleName() + " of module '" + spec.module() + "' on nodes "
            + spec.node();
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.toString());
      };
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  static FrpcConfigurationException invalid(Class<?> type, String problem) {
    return new FrpcConfigurationException(null, "invalid frpc client " + type.getName() + ": " + problem,
        "fix the interface; see docs/api.md, Typed clients");
  }
}
