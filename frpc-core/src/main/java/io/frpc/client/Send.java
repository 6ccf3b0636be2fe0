package io.frpc.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method is a send (fire-and-forget): it returns {@code void} and never blocks, or
 * {@code CompletableFuture<Void>} completed once the message is written ({@code CompletableFuture<AllNodesReply<Void>>}
 * with {@link AllNodes}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Send {
}
