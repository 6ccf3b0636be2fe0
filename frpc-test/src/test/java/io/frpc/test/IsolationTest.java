package io.frpc.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcConfigurationException;
import io.frpc.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Several clusters in one JVM, what clashes between them, TCP on loopback, and what a closed cluster leaves behind:
 * nothing.
 */
class IsolationTest {

  public static final class Echo {
    public String echo(String text) {
      return text;
    }
  }

  @Test
  void twoInJvmNodesOfOneNameAndIdCannotRunAtOnceAndTheErrorSaysSo() {
    try (FrpcCluster first = FrpcCluster.create(); FrpcCluster second = FrpcCluster.create()) {
      first.node("game", 1).start();

      assertThatThrownBy(() -> second.node("game", 1).start()).isInstanceOf(FrpcConfigurationException.class)
          .hasMessageContaining("frpc node game:1 cannot listen in this JVM: another node game:1 on the in-JVM "
              + "transport is running in it")
          .hasMessageContaining("close that node first, or give this one another name or id");
      assertThat(second.nodes()).isEmpty();

      first.get("game", 1).stop();
      assertThat(second.node("game", 1).start().isRunning()).isTrue();
    }
  }

  @Test
  void namesDifferingOnlyInCaseAreDifferentNodes() {
    try (FrpcCluster cluster = FrpcCluster.create()) {
      cluster.node("game", 1).handler("echo", new Echo()).start();
      ClusterNode upper = cluster.node("Game", 1).handler("echo", new Echo()).start();

      assertThat(upper.template().module("game", "echo").call("echo", String.class, "lower")).isEqualTo("lower");
    }
  }

  @Test
  void clustersOfOtherNodesRunSideBySideWithoutSeeingEachOther() {
    try (FrpcCluster first = FrpcCluster.create(); FrpcCluster second = FrpcCluster.create()) {
      first.node("game", 1).handler("echo", new Echo()).start();
      ClusterNode lobby = first.node("lobby", 1).start();
      second.node("game", 2).handler("echo", new Echo()).start();
      ClusterNode hall = second.node("hall", 1).start();

      assertThat(lobby.template().activeNodeIds("game")).containsExactly(1);
      assertThat(hall.template().activeNodeIds("game")).containsExactly(2);
    }
  }

  @Test
  void aClusterOverTcpListensOnLoopbackPorts() {
    try (FrpcCluster cluster = FrpcCluster.builder().transport(Transport.TCP).build()) {
      ClusterNode game = cluster.node("game", 1).handler("echo", new Echo()).start();
      ClusterNode lobby = cluster.node("lobby", 1).start();

      assertThat(lobby.template().module("game", "echo").call("echo", String.class, "tcp")).isEqualTo("tcp");
      assertThat(game.node().listenAddress().getAddress().isLoopbackAddress()).isTrue();
      assertThat(game.node().listenAddress().getPort()).isPositive();
    }
  }

  @Test
  void aClosedClusterLeavesNoThreadAndNoPort() throws IOException {
    Set<String> before = frpcThreads();
    int port;
    try (FrpcCluster cluster = FrpcCluster.builder().transport(Transport.TCP).build()) {
      ClusterNode game = cluster.node("game", 1).handler("echo", new Echo()).start();
      cluster.node("lobby", 1).start().template().module("game", "echo").call("echo", String.class, "x");
      cluster.node("game", 2).start().kill();
      port = game.node().listenAddress().getPort();
      assertThat(frpcThreads()).isNotEqualTo(before);
    }

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(frpcThreads()).isEqualTo(before));
    try (ServerSocket rebound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(rebound.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aClosedInJvmClusterLeavesNoThreadAndFreesItsAddresses() {
    Set<String> before = frpcThreads();
    try (FrpcCluster cluster = FrpcCluster.create()) {
      cluster.node("game", 1).handler("echo", new Echo()).start();
      cluster.node("lobby", 1).start().template().module("game", "echo").call("echo", String.class, "x");
    }

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(frpcThreads()).isEqualTo(before));
    try (FrpcCluster again = FrpcCluster.create()) {
      assertThat(again.node("game", 1).start().isRunning()).isTrue();
    }
  }

  private static Set<String> frpcThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith("frpc-")).collect(Collectors.toSet());
  }
}
