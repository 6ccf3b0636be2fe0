package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code frpc} health contributor. */
class FrpcHealthTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class, FrpcHealthContributorAutoConfiguration.class))
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1",
          "frpc.discovery.static.nodes.lobby.1=127.0.0.1:1");

  @Test
  void aListeningNodeWithStaticDiscoveryIsUpAndReportsItsKnownNodes() {
    runner.run(context -> {
      Health health = context.getBean("frpcHealthIndicator", HealthIndicator.class).health();

      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails().get("listener")).asString().contains("127.0.0.1:");
      assertThat(health.getDetails().get("discovery")).asString().contains("type=static", "nodes=1");
      // both counts always, 0 included
      assertThat(health.getDetails().get("nodes")).asString().isEqualTo("{lobby={connected=0, known=1}}");
    });
  }

  @Test
  void aRequiredNodeNameWithoutAConnectedNodeMakesItDownNamingIt() {
    runner.withPropertyValues("frpc.health.required-nodes=lobby,chat").run(context -> {
      Health health = context.getBean("frpcHealthIndicator", HealthIndicator.class).health();

      assertThat(health.getStatus()).isEqualTo(Status.DOWN);
      assertThat(health.getDetails().get("missingRequiredNodes")).asString().isEqualTo("[chat, lobby]");
      assertThat(health.getDetails().get("nodes")).asString()
          .isEqualTo("{chat={connected=0, known=0}, lobby={connected=0, known=1}}");
    });
  }

  @Test
  void aStoppedListenerIsDown() {
    runner.run(context -> {
      context.getBean(FrpcLifecycle.class).stop();

      assertThat(context.getBean("frpcHealthIndicator", HealthIndicator.class).health().getStatus())
          .isEqualTo(Status.DOWN);
    });
  }

  @Test
  void aListenerOnAllInterfacesWithoutASecretStaysUpWithASecurityWarning() {
    runner.withPropertyValues("frpc.server.host=0.0.0.0").run(context -> {
      Health health = context.getBean("frpcHealthIndicator", HealthIndicator.class).health();

      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails())
          .containsEntry("security", "no shared secret; listener reachable beyond loopback");
    });
  }

  @Test
  void aListenerOnAllInterfacesWithASecretOrOnLoopbackHasNoSecurityWarning() {
    runner.withPropertyValues("frpc.server.host=0.0.0.0", "frpc.security.secret=the-shared-secret-of-this-cluster")
        .run(context -> assertThat(context.getBean("frpcHealthIndicator", HealthIndicator.class).health().getDetails())
            .doesNotContainKey("security"));
    runner.run(context -> assertThat(context.getBean("frpcHealthIndicator", HealthIndicator.class).health()
        .getDetails()).doesNotContainKey("security"));
  }

  @Test
  void theContributorCanBeSwitchedOff() {
    runner.withPropertyValues("management.health.frpc.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("frpcHealthIndicator"));
  }
}
