package io.frpc.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes the call by this parameter (seed: mod): an integral key ({@code long}, {@code int}, {@code short},
 * {@code byte} or their wrappers) that always reaches the same node and instance. By default the parameter
 * is also sent as an argument (the key is usually what the command works on, like a room id); with
 * {@code argument = false} it only routes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Mod {

  /** Whether the key is also sent as an argument of the command. */
  boolean argument() default true;
}
