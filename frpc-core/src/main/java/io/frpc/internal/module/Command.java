package io.frpc.internal.module;

import io.frpc.FrpcBytes;
import io.frpc.internal.protocol.Payload;
import io.frpc.internal.protocol.PayloadCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * One command of a handler: how it runs, readers for its parameter types and a writer for its declared result type,
 * all resolved once at start-up. A command of a {@link FunctionHandler} takes any number of plain values.
 *
 * @param parameterReaders one reader per parameter, or {@code null} for a function handler's command
 */
record Command(String name, Invocation invocation, ObjectReader[] parameterReaders, ObjectWriter resultWriter,
    String signature) {

  /** Runs a command on a handler instance. */
  @FunctionalInterface
  interface Invocation {
    Object invoke(Object handler, Object[] args) throws Throwable;
  }

  /** The command {@code method} of a handler type. */
  static Command of(String name, Method method, ObjectReader[] parameterReaders, ObjectWriter resultWriter,
      String signature) {
    return new Command(name, (handler, args) -> {
      try {
        return method.invoke(handler, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }, parameterReaders, resultWriter, signature);
  }

  /** Command {@code name} of a {@link FunctionHandler}: its arguments are plain values, its result any value. */
  static Command function(String name, PayloadCodec codec) {
    return new Command(name, (handler, args) -> ((FunctionHandler) handler).run(name, Arrays.asList(args)), null,
        codec.writer(Object.class), name + "(..)");
  }

  Object invoke(Object handler, Object[] args) throws Throwable {
    return invocation.invoke(handler, args);
  }

  /**
   * Decodes the arguments of a request for this command; views of their memory go to {@code opened}, to be closed
   * when the command is done.
   *
   * @throws IllegalArgumentException when they do not bind
   */
  Object[] readArguments(PayloadCodec codec, Payload arguments, Consumer<FrpcBytes> opened) {
    if (parameterReaders != null) {
      return codec.readArguments(arguments, parameterReaders, opened);
    }
    try {
      return codec.readValue(arguments, codec.reader(Object[].class));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("arguments are not an array of values: " + e.getOriginalMessage(), e);
    }
  }
}
