package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcNode;
import io.frpc.client.FrpcClient;
import io.frpc.spring.EnableFrpcClients;
import io.frpc.spring.autoconfigure.clients.ExtendedGreeter;
import io.frpc.spring.autoconfigure.clients.GreeterClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Typed client beans: found in the application's packages or through {@link EnableFrpcClients}. */
class FrpcClientsTest {

  private static final AutoConfigurations FRPC = AutoConfigurations.of(FrpcAutoConfiguration.class,
      FrpcClientsAutoConfiguration.class);

  /** An application whose package holds the client interface. */
  @Configuration(proxyBeanMethods = false)
  @AutoConfigurationPackage(basePackageClasses = GreeterClient.class)
  static class ScanningApplication {
  }

  /** An interface outside any scanned package. */
  @FrpcClient(node = "game", module = "greeter")
  public interface ListedClient {
    String greet(String who);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableFrpcClients(clients = ListedClient.class)
  static class ListingApplication {
  }

  /** Invalid: a void call that is not a send. */
  @FrpcClient(node = "game", module = "greeter")
  public interface InvalidClient {
    void greet(String who);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableFrpcClients(clients = InvalidClient.class)
  static class InvalidApplication {
  }

  private final ApplicationContextRunner game = new ApplicationContextRunner().withConfiguration(FRPC)
      .withUserConfiguration(GreeterNode.class)
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1");

  private ApplicationContextRunner lobby(AssertableApplicationContext game) {
    return new ApplicationContextRunner().withConfiguration(FRPC).withPropertyValues("frpc.node.name=lobby",
        "frpc.server.enabled=false", "frpc.client.connect-wait=5s",
        "frpc.discovery.static.nodes.game.1=127.0.0.1:" + game.getBean(FrpcNode.class).listenAddress().getPort());
  }

  @Test
  void clientInterfacesInTheApplicationsPackagesAreBeansThatCallTheNode() {
    game.run(server -> lobby(server).withUserConfiguration(ScanningApplication.class).run(client -> {
      assertThat(client).hasSingleBean(GreeterClient.class);
      assertThat(client).doesNotHaveBean(ExtendedGreeter.class);
      assertThat(client).doesNotHaveBean(ListedClient.class);
      GreeterClient greeter = client.getBean(GreeterClient.class);
      assertThat(greeter.greet("ann")).isEqualTo("hello ann");
      assertThat(greeter.greetLater("bob").get(5, TimeUnit.SECONDS)).isEqualTo("hello bob");
    }));
  }

  @Test
  void enableFrpcClientsRegistersTheListedInterfaces() {
    game.run(server -> lobby(server).withUserConfiguration(ListingApplication.class).run(client -> {
      assertThat(client).hasSingleBean(ListedClient.class);
      assertThat(client.getBean(ListedClient.class).greet("cid")).isEqualTo("hello cid");
    }));
  }

  @Test
  void anInvalidClientInterfaceFailsStartUpNamingTheMethod() {
    new ApplicationContextRunner().withConfiguration(FRPC).withUserConfiguration(InvalidApplication.class)
        .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false").run(context -> {
          assertThat(context).hasFailed();
          StringBuilder messages = new StringBuilder();
          for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
          }
          assertThat(messages.toString()).contains("InvalidClient.greet(String) returns void but is not a @Send");
        });
  }
}
