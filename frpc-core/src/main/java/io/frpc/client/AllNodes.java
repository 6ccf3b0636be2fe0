package io.frpc.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls every connected node of the name (seed: all): the method returns {@code AllNodesReply<T>} (with
 * {@link Broadcast}: {@code AllNodesReply<List<InstanceReply<T>>>}), or a {@code CompletableFuture} of it,
 * or is a {@link Send}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AllNodes {
}
