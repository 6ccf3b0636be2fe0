package io.frpc.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of an application's frpc modules: only frpc's auto-configuration applies, and component scanning picks up
 * only the {@link io.frpc.spring.FrpcHandler @FrpcHandler} beans (and the types listed in
 * {@code META-INF/spring/io.frpc.test.autoconfigure.FrpcTest.includes}); the application's node runs on the in-JVM
 * transport ({@link AutoConfigureFrpc}). The test calls the handlers through the {@link io.frpc.FrpcTemplate} or typed
 * clients, and stands in for remote nodes with {@link FrpcStubs}:
 * <pre>{@code
 * @FrpcTest
 * class RoomModuleTest {
 *
 *   @Autowired
 *   FrpcTemplate frpc;
 *
 *   @Test
 *   void joinAnswersTheRoom() {
 *     assertThat(frpc.module("game", "room_m").call("join", RoomView.class, 42L, "alice").players())
 *         .containsExactly("alice");
 *   }
 * }
 * }</pre>
 * Other beans the handlers need are added with {@code @Import} or {@code @MockitoBean}. Contexts are cached as usual;
 * each keeps its node running (with an id of its own) until the JVM ends or the context is closed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(FrpcTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(FrpcTypeExcludeFilter.class)
@AutoConfigureFrpc
@ImportAutoConfiguration
public @interface FrpcTest {

  /** Properties in {@code key=value} form added to the environment before the test runs. */
  String[] properties() default {};

  /**
   * Whether component scanning picks up the {@code @FrpcHandler} beans; false picks up only what
   * {@link #includeFilters()} names.
   */
  boolean useDefaultFilters() default true;

  /** Further beans for component scanning to pick up. */
  Filter[] includeFilters() default {};

  /** Beans component scanning leaves out. */
  Filter[] excludeFilters() default {};

  /** Auto-configurations to leave out of the test. */
  @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
  Class<?>[] excludeAutoConfiguration() default {};
}
