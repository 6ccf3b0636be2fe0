package io.frpc.internal.module;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * One command of a handler type: the method, readers for its parameter types and a writer for its
 * declared result type, all resolved once at start-up.
 */
record Command(String name, Method method, ObjectReader[] parameterReaders, ObjectWriter resultWriter,
    String signature) {

  Object invoke(Object handler, Object[] args) throws Throwable {
    try {
      return method.invoke(handler, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
