package io.frpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Keeps a public method of a handler from being a command: remote nodes cannot call it. Methods of
 * {@link Object}, static, bridge and synthetic methods, methods of Spring callback interfaces and methods
 * annotated for the container ({@code @Autowired}, {@code @PostConstruct}, {@code @EventListener}, …) are
 * never commands and need no annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FrpcIgnore {
}
