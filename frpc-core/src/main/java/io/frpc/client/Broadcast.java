package io.frpc.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the command on every instance of the node (seed: broadcast): the method returns
 * {@code List<InstanceReply<T>>} (or a {@code CompletableFuture} of it), or is a {@link Send}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Broadcast {
}
