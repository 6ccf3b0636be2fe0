package io.frpc.sample.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.sample.server.SampleServerApplication;
import io.frpc.FrpcNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo of the README, in one JVM: two sample servers and the sample client, every case passing. */
class DemoScenarioTest {

  @Test
  void everyDemoCaseBehavesAsSpecified() {
    try (ConfigurableApplicationContext server1 = server(1);
        ConfigurableApplicationContext server2 = server(2);
        ConfigurableApplicationContext client = new SpringApplicationBuilder(SampleClientApplication.class)
            .web(WebApplicationType.NONE)
            .run("--frpc.discovery.static.nodes.cluster_server.1=127.0.0.1:" + port(server1),
                "--frpc.discovery.static.nodes.cluster_server.2=127.0.0.1:" + port(server2))) {
      DemoScenario scenario = client.getBean(DemoScenario.class);

      assertThat(scenario.failures()).isZero();
      assertThat(scenario.passes()).isEqualTo(62);
    }
  }

  /** A sample server node on a free port; the client's application.yml is not read for it. */
  private static ConfigurableApplicationContext server(int id) {
    return new SpringApplicationBuilder(SampleServerApplication.class)
        .web(WebApplicationType.NONE)
        .run("--spring.config.location=optional:classpath:/no-such-folder/", "--spring.main.banner-mode=off",
            "--frpc.node.name=cluster_server", "--frpc.node.id=" + id, "--frpc.server.port=0",
            "--frpc.server.host=127.0.0.1", "--logging.level.io.frpc=warn");
  }

  private static int port(ConfigurableApplicationContext server) {
    return server.getBean(FrpcNode.class).listenAddress().getPort();
  }
}
