package io.frpc.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Runs the application's frpc node in the test on the {@link io.frpc.Transport#IN_JVM in-JVM transport}: it opens no
 * port and uses no Redis; it knows itself (so the test calls its {@code @FrpcHandler} beans through the real
 * {@link io.frpc.FrpcTemplate} and typed clients) and the stubs the test starts with {@link FrpcStubs}. The node keeps
 * its name ({@code frpc.node.name}) and gets an id no other test context of the JVM has (1000, 1001, ... in the order
 * the contexts start), unless the test's own properties set {@code frpc.node.id}. {@link FrpcTest} includes it; add it to a
 * {@code @SpringBootTest} to run the whole application so. The auto-configurations it imports are listed in
 * {@code META-INF/spring/io.frpc.test.autoconfigure.AutoConfigureFrpc.imports}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureFrpc {
}
