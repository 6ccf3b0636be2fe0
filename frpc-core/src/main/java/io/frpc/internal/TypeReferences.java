package io.frpc.internal;

import java.lang.reflect.Type;
import tools.jackson.core.type.TypeReference;

/** Jackson type references for types known only at run time (a method's generic return or parameter type). */
public final class TypeReferences {

  private TypeReferences() {
  }

  /** A reference to {@code type}. */
  public static <T> TypeReference<T> of(Type type) {
    return new TypeReference<>() {
      @Override
      public Type getType() {
        return type;
      }
    };
  }
}
