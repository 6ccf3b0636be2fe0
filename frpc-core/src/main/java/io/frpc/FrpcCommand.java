package io.frpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the command of a handler method. Without it, a public method of the handler is the command
 * named like the method; see {@link FrpcIgnore} to hide one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FrpcCommand {

  /** The command name callers use. */
  String value();
}
