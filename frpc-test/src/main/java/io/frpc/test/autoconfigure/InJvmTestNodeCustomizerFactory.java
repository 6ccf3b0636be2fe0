package io.frpc.test.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Makes the node of a test context with {@link AutoConfigureFrpc} an in-JVM node with static discovery and an id of
 * its own: the test's own properties ({@code @FrpcTest(properties = ...)}, {@code @TestPropertySource}) may still set
 * them, the application's configuration may not.
 */
final class InJvmTestNodeCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public ContextCustomizer createContextCustomizer(Class<?> testClass,
      List<ContextConfigurationAttributes> configAttributes) {
    return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureFrpc.class) ? new InJvmTestNode() : null;
  }

  /** Adds the properties; equal to every other, so it never splits the context cache. */
  static final class InJvmTestNode implements ContextCustomizer {

    /** The first id given. */
    static final int FIRST_ID = 1000;

    // In-JVM addresses are per name and id per JVM, and cached contexts of one application keep running side by
    // side: the ids are counted per JVM for that reason.
    private static final AtomicInteger NEXT_ID = new AtomicInteger(FIRST_ID);

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
      MapPropertySource source = new MapPropertySource("frpc-test", Map.of(
          "frpc.server.transport", "in-jvm",
          "frpc.discovery.type", "static",
          "frpc.node.id", NEXT_ID.getAndIncrement()));
      MutablePropertySources sources = context.getEnvironment().getPropertySources();
      String testProperties = TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME;
      if (sources.contains(testProperties)) {
        sources.addAfter(testProperties, source);
      } else {
        sources.addFirst(source);
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof InJvmTestNode;
    }

    @Override
    public int hashCode() {
      return InJvmTestNode.class.hashCode();
    }
  }
}
