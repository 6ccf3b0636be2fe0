package io.frpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the command of a handler method, or the command a typed client method calls. Without it, a public method
 * of the handler is the command named like the method; see {@link FrpcIgnore} to hide one.
 *
 * <p>On a typed client method, {@code idempotent = true} declares the command safe to run more than once: a call
 * that may have run (its connection closed after the request was written) is then retried within its deadline, and
 * the method may be hedged. The caller decides, since only the caller retries: on a handler method the flag
 * documents the command's contract for those who write its clients.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FrpcCommand {

  /** The command name callers use; empty (the default) for the method's name. */
  String value() default "";

  /** Whether running the command twice does no harm, so that a call that may have run can be retried. */
  boolean idempotent() default false;
}
