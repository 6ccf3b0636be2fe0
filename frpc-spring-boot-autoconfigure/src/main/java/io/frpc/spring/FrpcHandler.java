package io.frpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * Serves the annotated class as a remote module. Every public method is a command named like the
 * method (see {@link io.frpc.FrpcCommand} to rename one). The class is a prototype-scoped component:
 * frpc asks Spring for {@link #instances()} separate objects, each with its own fields and injected
 * dependencies, and by default runs one message at a time per object.
 * <pre>{@code
 * @FrpcHandler(module = "test_m", instanceName = "test_one", instances = 3)
 * class TestModule {
 *   public String ping(String msg) { return "pong " + msg; }
 * }
 * }</pre>
 * Several classes may serve one module, for example with different instance names; their instances
 * are numbered in bean registration order.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface FrpcHandler {

  /** The module name callers use. */
  String module();

  /** A name shared by this class's instances, so callers can address them as a group. */
  String instanceName() default "";

  /** How many independent instances to create. */
  int instances() default 1;

  /** Whether messages may run in parallel on one instance (for stateless handlers). */
  boolean concurrent() default false;

  /** Messages queued or running per instance before callers get "overloaded"; -1 for {@code frpc.server.mailbox-capacity}. */
  int mailboxCapacity() default -1;

  /**
   * Declares that the commands never block (no I/O, no long-held locks, no waiting on other calls): they then
   * run on the I/O thread that read the request instead of a worker, which saves two thread hand-offs per
   * call. Actor order and the mailbox capacity still apply; calls whose arguments exceed 64 KiB, and a backlog
   * past 64 messages, run on a worker. A blocking frpc call made in such a command fails
   * at once; use {@code callAsync} there. Off by default: a command that blocks here stalls every connection
   * of its I/O thread.
   */
  boolean nonBlocking() default false;

  /**
   * {@code @FrpcClient} interfaces this handler serves without implementing them: checked against its
   * commands at start-up, as an implemented interface is, so methods only callers use (asynchronous or send
   * forms) need no stubs here.
   */
  Class<?>[] contract() default {};
}
