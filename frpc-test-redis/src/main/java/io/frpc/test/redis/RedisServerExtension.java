package io.frpc.test.redis;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one {@link TestRedis} per test class (started in {@code beforeAll}, closed in
 * {@code afterAll}), injected into test/constructor/lifecycle method parameters of type {@link TestRedis}.
 *
 * <p>Use {@code @ExtendWith(RedisServerExtension.class)} for the {@linkplain TestRedis.Options#defaults()
 * default options}, or {@code @RegisterExtension static RedisServerExtension redis = new
 * RedisServerExtension(new TestRedis.Options(false));} for others. Whether Redis runs in Docker or as the
 * embedded binary is decided by {@link TestRedis#start(TestRedis.Options)}. Each {@code @Nested} class gets a
 * server of its own. The server keeps its data between the tests of a class; call
 * {@link TestRedis#flushAll()} in a {@code @BeforeEach} method where tests must not see each other's keys.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisServerExtension.class);

  private final TestRedis.Options options;

  /** An extension starting servers with {@link TestRedis.Options#defaults()}. */
  public RedisServerExtension() {
    this(TestRedis.Options.defaults());
  }

  /**
   * An extension starting servers with the given options.
   *
   * @param options the server options
   */
  public RedisServerExtension(TestRedis.Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Starts the server of the test class (unless a {@code PER_CLASS} constructor parameter already did).
   *
   * @param context the class-level context
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  /**
   * Closes the server of the test class.
   *
   * @param context the class-level context
   */
  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    TestRedis redis = classContext.getStore(NAMESPACE).remove(key(classContext), TestRedis.class);
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * Supports parameters declared as {@link TestRedis}.
   *
   * @param parameterContext the parameter
   * @param extensionContext the current context
   * @return whether the parameter's type is {@link TestRedis}
   */
  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestRedis.class;
  }

  /**
   * Returns the server of the current test class.
   *
   * @param parameterContext the parameter
   * @param extensionContext the current context
   * @return the running {@link TestRedis} of the test class
   */
  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return server(extensionContext);
  }

  /** The server of the class {@code context} belongs to, started on first use. */
  private TestRedis server(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    // Stored in the class-level store: JUnit also closes it (AutoCloseable) should afterAll never run.
    return classContext
        .getStore(NAMESPACE)
        .computeIfAbsent(key(classContext), key -> TestRedis.start(options), TestRedis.class);
  }

  /** The nearest context that is not about a test method (i.e. the test class's context). */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  /** Per-class key, so a {@code @Nested} class does not pick up its enclosing class's server. */
  private static StoreKey key(ExtensionContext classContext) {
    return new StoreKey(classContext.getTestClass().orElse(null));
  }

  private record StoreKey(Class<?> testClass) {}
}
