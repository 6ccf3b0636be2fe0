package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.spring.EnableFrpcClients;
import io.frpc.spring.autoconfigure.clients.GreeterClient;
import java.util.Map;
import org.springframework.javapoet.ClassName;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.Configuration;

/** Ahead-of-time processing registers the proxy and reflection hints a typed client needs. */
@CompileWithForkedClassLoader // the generated code uses frpc's package-private auto-configuration types
class FrpcClientsAotTest {

  /** An application with one typed client and an frpc node. */
  @Configuration(proxyBeanMethods = false)
  @EnableFrpcClients(clients = GreeterClient.class)
  @Import(FrpcAutoConfiguration.class)
  public static class Application {
  }

  private static final Map<String, Object> PROPERTIES = Map.of("frpc.node.name", "lobby",
      "frpc.server.enabled", "false");

  @Test
  void aotProcessingRegistersTheClientsProxyAndItsMethodsAndTheProcessedApplicationMakesTheClient() {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", PROPERTIES));
    context.register(Application.class);
    TestGenerationContext generation = new TestGenerationContext();

    ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(context, generation);

    assertThat(context.getBeanFactory().getBeanNamesForType(GreeterClient.class)).hasSize(1);
    assertThat(RuntimeHintsPredicates.proxies().forInterfaces(GreeterClient.class))
        .accepts(generation.getRuntimeHints());
    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(GreeterClient.class, "greet"))
        .accepts(generation.getRuntimeHints());

    // the generated code, compiled and run instead of the configuration classes, makes a working client
    generation.writeGeneratedContent();
    TestCompiler.forSystem().with(generation).compile(compiled -> {
      GenericApplicationContext processed = new GenericApplicationContext();
      processed.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", PROPERTIES));
      @SuppressWarnings("unchecked")
      ApplicationContextInitializer<GenericApplicationContext> initializer = compiled.getInstance(
          ApplicationContextInitializer.class, initializerName.reflectionName());
      initializer.initialize(processed);
      processed.refresh();
      try {
        GreeterClient client = processed.getBean(GreeterClient.class);
        assertThat(client.toString()).contains("GreeterClient", "greeter");
      } finally {
        processed.close();
      }
    });
  }
}
