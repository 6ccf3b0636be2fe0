package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.HandlerDefinition;
import io.frpc.status.NodeStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code frpc} Actuator endpoint: present with Actuator, gone without it, and over real HTTP. */
class FrpcEndpointTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class, FrpcEndpointAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false",
          "management.endpoints.web.exposure.include=frpc");

  @Test
  void theEndpointIsThereWithActuatorAndGoneWithoutIt() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(FrpcEndpoint.class);
      NodeStatus status = context.getBean(FrpcEndpoint.class).frpc();
      assertThat(status.id().name()).isEqualTo("lobby");
      assertThat(status.listenAddress()).isNull();
    });
    runner.withClassLoader(new FilteredClassLoader(Endpoint.class)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(FrpcEndpoint.class);
    });
    runner.withPropertyValues("management.endpoint.frpc.access=NONE").run(context ->
        assertThat(context).doesNotHaveBean(FrpcEndpoint.class));
  }

  /** An endpoint of the user's own. */
  @Configuration(proxyBeanMethods = false)
  static class UserEndpointConfiguration {
    @Bean
    FrpcEndpoint userEndpoint(FrpcNode node) {
      return new FrpcEndpoint(node);
    }
  }

  @Test
  void aUserEndpointReplacesTheAutoConfiguredOne() {
    runner.withUserConfiguration(UserEndpointConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(FrpcEndpoint.class);
      assertThat(context).doesNotHaveBean("frpcEndpoint");
    });
  }

  /** The calling node's application: auto-configuration with a web server. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class LobbyApplication {
  }

  /** Module "svc" of the game node. */
  public static final class Service {
    public String ping() {
      return "pong";
    }
  }

  @Test
  void overHttpTheEndpointAndHealthFollowANodeThatStopsAndComesBack() throws Exception {
    int gamePort = freePort();
    FrpcNode game = game(gamePort);
    try (ConfigurableApplicationContext lobby = new SpringApplicationBuilder(LobbyApplication.class)
        .web(WebApplicationType.SERVLET)
        .run("--server.port=0", "--spring.main.banner-mode=off", "--frpc.node.name=lobby", "--frpc.server.enabled=false",
            "--frpc.discovery.static.nodes.game.1=127.0.0.1:" + gamePort, "--frpc.health.required-nodes=game",
            "--frpc.client.reconnect-max-backoff=300ms", "--management.endpoints.web.exposure.include=frpc,health",
            "--management.endpoint.health.show-details=always", "--management.health.redis.enabled=false",
            // this test package holds deliberately invalid client interfaces of other tests
            "--spring.autoconfigure.exclude=io.frpc.spring.autoconfigure.FrpcClientsAutoConfiguration",
            "--logging.level.io.frpc=warn")) {
      String base = "http://127.0.0.1:" + lobby.getEnvironment().getProperty("local.server.port") + "/actuator";

      await().atMost(WAIT).untilAsserted(() -> assertThat(get(base + "/frpc")).contains("\"state\":\"UP\""));
      String status = get(base + "/frpc");
      assertThat(status).contains("\"id\":{\"name\":\"lobby\",\"id\":1}", "\"protocolVersion\":1",
          "\"address\":\"127.0.0.1:" + gamePort + "\"", "\"pendingCalls\":0");
      assertThat(get(base + "/frpc/game")).startsWith("[").contains("\"state\":\"UP\"");
      assertThat(status(base + "/frpc/nosuchname")).isEqualTo(404);
      JsonNode health = json(base + "/health").get("components").get("frpc");
      assertThat(health.get("status").asString()).isEqualTo("UP");
      assertThat(health.get("details").get("nodes").get("game").toString()).isEqualTo("{\"connected\":1,\"known\":1}");

      game.close();
      await().atMost(WAIT).untilAsserted(() -> assertThat(get(base + "/frpc")).contains("\"state\":\"DOWN\"",
          "announced a graceful shutdown"));
      health = json(base + "/health").get("components").get("frpc");
      assertThat(health.get("status").asString()).isEqualTo("DOWN");
      assertThat(health.get("details").get("missingRequiredNodes").toString()).isEqualTo("[\"game\"]");
      assertThat(health.get("details").get("nodes").get("game").toString()).isEqualTo("{\"connected\":0,\"known\":1}");
      assertThat(status(base + "/health")).isEqualTo(503);

      game = game(gamePort);
      await().atMost(WAIT).untilAsserted(() -> assertThat(get(base + "/frpc")).contains("\"state\":\"UP\""));
      await().atMost(WAIT).untilAsserted(() -> assertThat(status(base + "/health")).isEqualTo(200));
    } finally {
      game.close();
    }
  }

  private static FrpcNode game(int port) {
    FrpcNode node = FrpcNode.builder("game", 1).listen("127.0.0.1", port).ioThreads(1)
        .shutdownTimeout(Duration.ofSeconds(2)).handler(HandlerDefinition.of("svc", null, 1, self -> new Service()))
        .build();
    node.start();
    return node;
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static JsonNode json(String url) throws IOException, InterruptedException {
    return JsonMapper.builder().build().readTree(get(url));
  }

  private static int status(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
