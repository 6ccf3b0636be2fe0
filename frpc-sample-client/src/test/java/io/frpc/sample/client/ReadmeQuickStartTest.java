package io.frpc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcNode;
import io.frpc.pubsub.FrpcPublisher;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The README's quick start is a real application: its files, copied verbatim into a fresh project
 * layout, compile against the starter and run as two nodes that call each other.
 */
class ReadmeQuickStartTest {

  /** A fenced block whose first line names the file it is: {@code // src/...} or {@code # src/...}. */
  private static final Pattern FILE_BLOCK = Pattern.compile("```(?:java|yaml)\\n(?://|#) (src/\\S+)\\n(.*?)```",
      Pattern.DOTALL);

  @Test
  void theQuickStartCompilesAndItsTwoNodesServeEachOther(@TempDir Path project) throws Exception {
    List<Path> sources = new ArrayList<>();
    Path readme = Path.of("..", "README.md");
    Matcher block = FILE_BLOCK.matcher(Files.readString(readme));
    while (block.find()) {
      Path file = project.resolve(block.group(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, block.group(2));
      if (file.toString().endsWith(".java")) {
        sources.add(file);
      }
    }
    assertThat(sources).extracting(path -> path.getFileName().toString())
        .contains("GameApplication.java", "RoomModule.java", "RoomClient.java", "Matchmaker.java", "GameEvents.java",
            "Quests.java");
    Path config = project.resolve("src/main/resources/application.yml");
    assertThat(config).exists();

    Path classes = Files.createDirectories(project.resolve("target/classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-parameters",
        "-classpath", System.getProperty("java.class.path")));
    sources.forEach(source -> arguments.add(source.toString()));
    assertThat(javac.run(null, null, null, arguments.toArray(String[]::new))).as("javac exit code").isZero();

    int port1 = freePort();
    int port2 = freePort();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
        ConfigurableApplicationContext game1 = run(loader, config, 1, port1, port2);
        ConfigurableApplicationContext game2 = run(loader, config, 2, port2, port1)) {
      FrpcNode node1 = game1.getBean(FrpcNode.class);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node1.connectedNodes().size() == 2);

      Object matchmaker = game1.getBean(loader.loadClass("com.example.game.Matchmaker"));
      Method join = matchmaker.getClass().getMethod("join", long.class, String.class);
      Set<String> servedBy = new HashSet<>();
      for (long roomId = 0; roomId < 16; roomId++) {
        Object view = join.invoke(matchmaker, roomId, "alice");
        assertThat(view.toString()).contains("roomId=" + roomId, "players=1", "calledBy=game:1");
        assertThat(join.invoke(matchmaker, roomId, "bob").toString()).contains("players=2");
        servedBy.add(view.toString().replaceAll(".*servedBy=([^,]*),.*", "$1"));
      }
      assertThat(servedBy).as("every room instance of both nodes serves some rooms").hasSize(8);
      // the string form reaches the same instance as the typed client
      Method joinByName = matchmaker.getClass().getMethod("joinByName", long.class, String.class);
      for (long roomId = 0; roomId < 16; roomId++) {
        String typed = join.invoke(matchmaker, roomId, "cid").toString().replaceAll(".*servedBy=([^,]*),.*", "$1");
        String named = joinByName.invoke(matchmaker, roomId, "dan").toString()
            .replaceAll(".*servedBy=([^,]*),.*", "$1");
        assertThat(named).isEqualTo(typed);
      }
      matchmaker.getClass().getMethod("leaveEverywhere", String.class).invoke(matchmaker, "alice");

      // pub/sub: an event of node 1 reaches the @FrpcSubscribe methods of both nodes
      FrpcPublisher publisher = game1.getBean(FrpcPublisher.class);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> publisher.subscriberCount("game:7:over") == 2);
      Object events = game1.getBean(loader.loadClass("com.example.game.GameEvents"));
      events.getClass().getMethod("gameOver", int.class, String.class).invoke(events, 7, "alice");
      for (ConfigurableApplicationContext game : List.of(game1, game2)) {
        Object quests = game.getBean(loader.loadClass("com.example.game.Quests"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(quests.getClass().getMethod("gamesOver").invoke(quests).toString())
              .isEqualTo("[GameOver[table=7, winner=alice]]");
          assertThat(quests.getClass().getMethod("tableStatus").invoke(quests).toString())
              .isEqualTo("{game:1 game:7:status=finished}");
        });
      }
    }
  }

  /** One node of the quick start, with the README's configuration and the given ports. */
  private static ConfigurableApplicationContext run(ClassLoader loader, Path config, int id, int port,
      int otherPort) throws ClassNotFoundException {
    SpringApplication application = new SpringApplication(loader.loadClass("com.example.game.GameApplication"));
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setResourceLoader(new DefaultResourceLoader(loader));
    return application.run("--spring.config.location=file:" + config, "--spring.main.banner-mode=off",
        "--frpc.node.id=" + id, "--frpc.server.port=" + port, "--frpc.server.host=127.0.0.1",
        "--frpc.discovery.static.nodes.game." + id + "=127.0.0.1:" + port,
        "--frpc.discovery.static.nodes.game." + (3 - id) + "=127.0.0.1:" + otherPort,
        "--logging.level.io.frpc=warn");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
