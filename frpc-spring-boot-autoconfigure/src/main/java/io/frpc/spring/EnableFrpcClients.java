package io.frpc.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Registers a bean for every {@link io.frpc.client.FrpcClient} interface in the given packages, injectable
 * like any bean. The starter scans the application's packages (those of its {@code @SpringBootApplication})
 * in any case; this adds packages and interfaces outside them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(FrpcClientsRegistrar.class)
public @interface EnableFrpcClients {

  /** Packages to scan; empty: the package of the annotated class. */
  String[] basePackages() default {};

  /** Client interfaces to register in addition, wherever they are. */
  Class<?>[] clients() default {};
}
