package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcConfigurationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** frpc's start-up errors reach Boot's "APPLICATION FAILED TO START" report with the property to change. */
class FrpcFailureAnalyzerTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class))
      .withPropertyValues("frpc.server.host=127.0.0.1", "frpc.server.port=0");

  @Test
  void theAnalyzerIsRegisteredForSpringBoot() {
    assertThat(SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class, getClass().getClassLoader()))
        .contains(FrpcFailureAnalyzer.class.getName());
  }

  @Test
  void aMissingNodeNameIsReportedWithThePropertyAndWhatToSet() {
    runner.run(context -> {
      FailureAnalysis analysis = new FrpcFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("frpc.node.name is required").contains("Property: frpc.node.name");
      assertThat(analysis.getAction()).startsWith("Set it to the name other nodes call this one by");
      assertThat(analysis.getCause()).isInstanceOf(FrpcConfigurationException.class);
    });
  }

  @Test
  void anOccupiedPortIsReportedWithThePortPropertyAndWhatToDo() throws IOException {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      runner.withPropertyValues("frpc.node.name=game", "frpc.server.port=" + occupied.getLocalPort())
          .run(context -> {
            FailureAnalysis analysis = new FrpcFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("cannot listen on 127.0.0.1:" + occupied.getLocalPort())
                .contains("Property: frpc.server.port");
            assertThat(analysis.getAction()).contains("free port");
          });
    }
  }

  @Test
  void anInvalidStaticAddressNamesItsProperty() {
    runner.withPropertyValues("frpc.node.name=game", "frpc.discovery.static.nodes.game.1=nowhere").run(context -> {
      FailureAnalysis analysis = new FrpcFailureAnalyzer().analyze(context.getStartupFailure());
      assertThat(analysis.getDescription()).contains("Property: frpc.discovery.static.nodes.game.1");
      assertThat(analysis.getAction()).contains("host:port");
    });
  }
}
