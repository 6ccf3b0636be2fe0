package io.frpc.internal.client;

import io.frpc.internal.Names;
import io.frpc.AllNodesCall;
import io.frpc.AllNodesReply;
import io.frpc.FrpcCommand;
import io.frpc.FrpcConfigurationException;
import io.frpc.FrpcTemplate;
import io.frpc.InstanceReply;
import io.frpc.ModuleCall;
import io.frpc.client.AllNodes;
import io.frpc.client.Broadcast;
import io.frpc.client.FrpcClient;
import io.frpc.client.Instance;
import io.frpc.client.Mod;
import io.frpc.client.Node;
import io.frpc.client.Send;
import io.frpc.client.Timeout;
import io.frpc.internal.TypeReferences;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import tools.jackson.core.type.TypeReference;

/**
 * One method of a typed client, resolved once: its command, operation (call, async call, send), routing
 * (one node, every instance, every node), the parameters that route it and the result type to decode.
 */
final class MethodPlan {

  private static final Object[] NO_ARGS = new Object[0];
  private static final Set<Class<?>> INTEGRAL = Set.of(long.class, Long.class, int.class, Integer.class,
      short.class, Short.class, byte.class, Byte.class);

  private enum Operation { CALL, ASYNC, SEND }

  private final String command;
  private final Operation operation;
  private final boolean allNodes;
  private final boolean broadcast;
  private final boolean returnsFuture;
  private final int modParameter;
  private final int nodeParameter;
  /** Parameters that are not sent as arguments (@Node, @Mod(argument = false)), ascending; usually none. */
  private final int[] routingOnly;
  private final TypeReference<Object> resultType;
  /** The chain with everything fixed per method: module, instance name, timeout. */
  private final ModuleCall base;

  private MethodPlan(String command, Operation operation, boolean allNodes, boolean broadcast, boolean returnsFuture,
      int modParameter, int nodeParameter, int[] routingOnly, TypeReference<Object> resultType, ModuleCall base) {
    this.command = command;
    this.operation = operation;
    this.allNodes = allNodes;
    this.broadcast = broadcast;
    this.returnsFuture = returnsFuture;
    this.modParameter = modParameter;
    this.nodeParameter = nodeParameter;
    this.routingOnly = routingOnly;
    this.resultType = resultType;
    this.base = base;
  }

  static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
        + String.join(", ", Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
  }

  /** Resolves {@code method}, or fails naming it. */
  static MethodPlan of(FrpcTemplate frpc, FrpcClient spec, Method method) {
    String where = describe(method);
    String command = Names.commandName(method);
    FrpcCommand named = method.getAnnotation(FrpcCommand.class);
    boolean all = method.isAnnotationPresent(AllNodes.class);
    boolean broadcast = method.isAnnotationPresent(Broadcast.class);
    boolean send = method.isAnnotationPresent(Send.class);

    int mod = -1;
    int node = -1;
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      if (parameters[i].isAnnotationPresent(Mod.class)) {
        if (mod >= 0) {
          throw invalid(method, where + " has two @Mod parameters; a call is routed by one key");
        }
        if (!INTEGRAL.contains(parameters[i].getType())) {
          throw invalid(method, where + " has @Mod on a " + parameters[i].getType().getSimpleName()
              + " parameter; the key must be a long, int, short or byte");
        }
        mod = i;
      }
      if (parameters[i].isAnnotationPresent(Node.class)) {
        if (node >= 0) {
          throw invalid(method, where + " has two @Node parameters; a call goes to one node id");
        }
        if (parameters[i].getType() != int.class && parameters[i].getType() != Integer.class) {
          throw invalid(method, where + " has @Node on a " + parameters[i].getType().getSimpleName()
              + " parameter; the node id must be an int");
        }
        node = i;
      }
    }
    if (node >= 0 && all) {
      throw invalid(method, where + " is @AllNodes and has a @Node parameter; choose one node or all of them");
    }
    if (mod >= 0 && broadcast) {
      throw invalid(method, where + " is @Broadcast and has a @Mod parameter; a broadcast runs on every instance");
    }

    Type returned = method.getGenericReturnType();
    Class<?> raw = method.getReturnType();
    boolean future = raw == CompletableFuture.class;
    Operation operation;
    Type value = future ? argument(method, returned, 0) : returned;
    if (send) {
      if (raw != void.class && !future) {
        throw invalid(method, where + " is @Send but returns " + raw.getSimpleName()
            + "; a send returns void or a CompletableFuture completed when it is written");
      }
      operation = Operation.SEND;
    } else if (raw == void.class) {
      throw invalid(method, where + " returns void but is not a @Send; a call returns its result (Void for none), "
          + "or mark it @Send for fire-and-forget");
    } else {
      operation = future ? Operation.ASYNC : Operation.CALL;
    }
    TypeReference<Object> resultType = null;
    if (operation != Operation.SEND) {
      Type element = value;
      if (all) {
        element = unwrap(method, element, AllNodesReply.class, "@AllNodes", "AllNodesReply<T>");
      }
      if (broadcast) {
        element = unwrap(method, unwrap(method, element, List.class, "@Broadcast", "List<InstanceReply<T>>"),
            InstanceReply.class, "@Broadcast", "List<InstanceReply<T>>");
      }
      resultType = TypeReferences.of(element);
    }

    Instance instance = method.getAnnotation(Instance.class);
    String instanceName = instance != null ? instance.value() : spec.instanceName();
    ModuleCall base = frpc.module(spec.node(), spec.module());
    if (!instanceName.isEmpty()) {
      base = base.instance(instanceName);
    }
    Timeout timeout = method.getAnnotation(Timeout.class);
    if (timeout != null) {
      if (timeout.millis() <= 0) {
        throw invalid(method, where + " has @Timeout(millis = " + timeout.millis() + "); it must be positive");
      }
      base = base.timeout(Duration.ofMillis(timeout.millis()));
    }
    if (named != null && named.idempotent()) {
      if (send || all) {
        throw invalid(method, where + " is @FrpcCommand(idempotent = true) but " + (send ? "a @Send" : "@AllNodes")
            + "; only calls to one node are retried");
      }
      base = base.idempotent();
    }
    int modIndex = mod;
    int nodeIndex = node;
    int[] routingOnly = IntStream.range(0, parameters.length).filter(i -> i == nodeIndex
        || (i == modIndex && !parameters[i].getAnnotation(Mod.class).argument())).toArray();
    return new MethodPlan(command, operation, all, broadcast, future, mod, node, routingOnly, resultType, base);
  }

  /** Runs the command with {@code args}. */
  Object invoke(Object[] args) {
    Object[] values = args == null ? NO_ARGS : args;
    ModuleCall call = base;
    if (nodeParameter >= 0) {
      call = call.node(required(values[nodeParameter], "@Node").intValue());
    }
    Object[] sent = routingOnly.length == 0 ? values : without(values, routingOnly);
    Long key = modParameter >= 0 ? required(values[modParameter], "@Mod").longValue() : null;
    if (allNodes) {
      AllNodesCall every = key == null ? call.allNodes() : call.allNodes().mod(key);
      return broadcast ? allBroadcast(every, sent) : all(every, sent);
    }
    if (key != null) {
      call = call.mod(key);
    }
    if (broadcast) {
      var instances = call.broadcast();
      return switch (operation) {
        case CALL -> instances.call(command, resultType, sent);
        case ASYNC -> instances.callAsync(command, resultType, sent);
        case SEND -> sent(instances.send(command, sent));
      };
    }
    return switch (operation) {
      case CALL -> call.call(command, resultType, sent);
      case ASYNC -> call.callAsync(command, resultType, sent);
      case SEND -> sent(call.send(command, sent));
    };
  }

  private Object all(AllNodesCall every, Object[] sent) {
    return switch (operation) {
      case CALL -> every.call(command, resultType, sent);
      case ASYNC -> every.callAsync(command, resultType, sent);
      case SEND -> sent(every.send(command, sent));
    };
  }

  private Object allBroadcast(AllNodesCall every, Object[] sent) {
    var instances = every.broadcast();
    return switch (operation) {
      case CALL -> instances.call(command, resultType, sent);
      case ASYNC -> instances.callAsync(command, resultType, sent);
      case SEND -> sent(instances.send(command, sent));
    };
  }

  /** A send's result: its future when the method returns one, else nothing (the send never blocks). */
  private Object sent(CompletableFuture<?> written) {
    return returnsFuture ? written : null;
  }

  private Number required(Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("the " + what + " argument of command '" + command + "' is null");
    }
    return (Number) value;
  }

  private static Object[] without(Object[] values, int[] skipped) {
    Object[] rest = new Object[values.length - skipped.length];
    int next = 0;
    int skip = 0;
    for (int i = 0; i < values.length; i++) {
      if (skip < skipped.length && skipped[skip] == i) {
        skip++;
      } else {
        rest[next++] = values[i];
      }
    }
    return rest;
  }

  private static Type unwrap(Method method, Type type, Class<?> expected, String annotation, String shape) {
    if (!(type instanceof ParameterizedType parameterized) || parameterized.getRawType() != expected) {
      throw invalid(method, describe(method) + " is " + annotation + " but its result is " + type.getTypeName()
          + "; it must be " + shape + " (or a CompletableFuture of it)");
    }
    return parameterized.getActualTypeArguments()[0];
  }

  private static Type argument(Method method, Type type, int index) {
    if (!(type instanceof ParameterizedType parameterized)) {
      throw invalid(method, describe(method) + " returns a raw CompletableFuture; declare its result type, e.g. "
          + "CompletableFuture<String>");
    }
    return parameterized.getActualTypeArguments()[index];
  }

  private static FrpcConfigurationException invalid(Method method, String problem) {
    return TypedClients.invalid(method.getDeclaringClass(), problem);
  }
}
