package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcNode;
import io.frpc.discovery.DiscoveryContext;
import io.frpc.discovery.NodeDiscovery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the node starts with its Spring context and stops with it. */
class FrpcLifecycleTest {

  private static final String KEEP_ALIVE = "frpc-keep-alive";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1");

  @Test
  void listeningNodeKeepsANonDaemonThreadAliveUntilItsContextCloses() {
    Set<Thread> before = keepAliveThreads();
    Set<Thread> started = new HashSet<>();
    runner.run(context -> {
      started.addAll(keepAliveThreads());
      started.removeAll(before);
      assertThat(started).hasSize(1).allMatch(thread -> !thread.isDaemon());
    });
    await().atMost(WAIT).until(() -> started.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void pureCallerStartsNoKeepAliveThread() {
    Set<Thread> before = keepAliveThreads();
    runner.withPropertyValues("frpc.server.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      Set<Thread> started = keepAliveThreads();
      started.removeAll(before);
      assertThat(started).isEmpty();
    });
  }

  @Test
  void occupiedPortFailsStartUpNamingTheServerProperties() throws IOException {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      runner.withPropertyValues("frpc.server.port=" + occupied.getLocalPort()).run(context -> {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure())
            .hasStackTraceContaining("cannot listen on 127.0.0.1:" + occupied.getLocalPort())
            .hasStackTraceContaining("frpc.server.port");
      });
    }
  }

  @Test
  void discoveryIsStartedOnceTheContextStartsAndTheListenerIsBound() {
    runner.withUserConfiguration(DiscoveryConfiguration.class).run(context -> {
      RecordingDiscovery discovery = context.getBean(RecordingDiscovery.class);
      FrpcNode node = context.getBean(FrpcNode.class);
      assertThat(discovery.startedWith().localNode()).isEqualTo(node.local());
      assertThat(discovery.startedWith().listenAddress()).isEqualTo(node.listenAddress());
    });
  }

  @Test
  void discoveryIsClosedBeforeTheServerStopsListening() {
    runner.withUserConfiguration(DiscoveryConfiguration.class).run(context -> {
      RecordingDiscovery discovery = context.getBean(RecordingDiscovery.class);
      FrpcNode node = context.getBean(FrpcNode.class);
      assertThat(discovery.serverRunningWhenClosed()).isNull();
      context.close();
      assertThat(discovery.serverRunningWhenClosed()).isTrue();
      assertThat(node.isListening()).isFalse();
    });
  }

  private static Set<Thread> keepAliveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(KEEP_ALIVE) && thread.isAlive())
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** Reports no nodes; remembers what it was started with and whether the listener accepted when closed. */
  static class RecordingDiscovery implements NodeDiscovery {

    private volatile DiscoveryContext startedWith;
    private volatile Boolean serverRunningWhenClosed;

    @Override
    public void start(DiscoveryContext context) {
      startedWith = context;
    }

    @Override
    public void close() {
      if (serverRunningWhenClosed == null) {
        try (Socket probe = new Socket()) {
          probe.connect(startedWith.listenAddress(), 1000);
          serverRunningWhenClosed = true;
        } catch (IOException e) {
          serverRunningWhenClosed = false;
        }
      }
    }

    DiscoveryContext startedWith() {
      return startedWith;
    }

    Boolean serverRunningWhenClosed() {
      return serverRunningWhenClosed;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class DiscoveryConfiguration {

    @Bean
    RecordingDiscovery recordingDiscovery() {
      return new RecordingDiscovery();
    }
  }
}
