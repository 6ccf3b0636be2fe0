package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frpc.FrpcBytes;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.observability.FrpcObserver;
import io.frpc.spring.FrpcHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Micrometer metrics: there with a registry, gone without Micrometer, replaceable. */
class FrpcMetricsTest {

  private static final AutoConfigurations METRICS = AutoConfigurations.of(MetricsAutoConfiguration.class,
      CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
      FrpcAutoConfiguration.class, FrpcMetricsAutoConfiguration.class);

  private final ApplicationContextRunner game = new ApplicationContextRunner().withConfiguration(METRICS)
      .withUserConfiguration(GreeterNode.class)
      .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1");

  private final ApplicationContextRunner lobby = new ApplicationContextRunner().withConfiguration(METRICS)
      .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false");

  @Test
  void callsRequestsNodesAndBytesAreMeasured() {
    game.run(server -> lobby.withPropertyValues("frpc.discovery.static.nodes.game.1=127.0.0.1:"
        + server.getBean(FrpcNode.class).listenAddress().getPort()).run(client -> {
          FrpcTemplate frpc = client.getBean(FrpcTemplate.class);
          assertThat(frpc.module("game", "greeter").call("greet", String.class, "ann")).isEqualTo("hello ann");

          MeterRegistry clientMeters = client.getBean(MeterRegistry.class);
          assertThat(clientMeters.get("frpc.client.calls").tags("node", "game", "module", "greeter", "command", "greet",
              "outcome", "SUCCESS").timer().count()).isEqualTo(1);
          assertThat(clientMeters.get("frpc.nodes.active").tag("name", "game").gauge().value()).isEqualTo(1);
          assertThat(clientMeters.get("frpc.nodes").tags("name", "game", "state", "up").gauge().value()).isEqualTo(1);
          assertThat(clientMeters.get("frpc.nodes").tags("name", "game", "state", "down").gauge().value()).isZero();
          assertThat(clientMeters.get("frpc.bytes.sent").functionCounter().count()).isPositive();
          assertThat(clientMeters.get("frpc.bytes.received").functionCounter().count()).isPositive();
          assertThat(clientMeters.get("frpc.client.pending.calls").gauge().value()).isZero();
          MeterRegistry serverMeters = server.getBean(MeterRegistry.class);
          await().atMost(Duration.ofSeconds(5)).until(() -> serverMeters.find("frpc.server.requests")
              .tags("module", "greeter", "command", "greet", "outcome", "SUCCESS").timer() != null);
          assertThat(serverMeters.get("frpc.server.requests.in.flight").gauge().value()).isZero();
        }));
  }

  /** Module "blob": {@code blob(size)} answers that many bytes. */
  @Configuration(proxyBeanMethods = false)
  @Import(BlobNode.Blob.class)
  static class BlobNode {
    @FrpcHandler(module = "blob")
    public static class Blob {
      public byte[] blob(int size) {
        return new byte[size];
      }
    }
  }

  @Test
  void theMemoryOfLargeMessagesIsMeasured() {
    int size = 300_000;
    game.withUserConfiguration(BlobNode.class).run(server -> lobby.withPropertyValues(
        "frpc.discovery.static.nodes.game.1=127.0.0.1:" + server.getBean(FrpcNode.class).listenAddress().getPort())
        .run(client -> {
          MeterRegistry meters = client.getBean(MeterRegistry.class);
          assertThat(meters.get("frpc.inbound.bytes.held").gauge().value()).isZero();

          FrpcBytes reply = client.getBean(FrpcTemplate.class).module("game", "blob").call("blob", FrpcBytes.class, size);
          assertThat(reply.length()).isEqualTo(size);
          assertThat(meters.get("frpc.inbound.bytes.held").gauge().value()).as("held by the open view")
              .isGreaterThanOrEqualTo(size);
          reply.close();
          await().atMost(Duration.ofSeconds(5))
              .until(() -> meters.get("frpc.inbound.bytes.held").gauge().value() == 0);

          // the allocator large frames are encoded into: a buffer held from it shows
          ByteBuf held = PooledByteBufAllocator.DEFAULT.directBuffer(size);
          try {
            assertThat(meters.get("netty.allocator.memory.used").tags("allocator.type", "PooledByteBufAllocator",
                "memory.type", "direct").gauge().value()).isGreaterThanOrEqualTo(size);
          } finally {
            held.release();
          }
          assertThat(meters.find("netty.allocator.memory.used").tags("allocator.type",
              ByteBufAllocator.DEFAULT.getClass().getSimpleName()).gauges()).as("the channels' allocator").hasSize(2);
        }));
  }

  @Test
  void withoutMicrometerNothingIsMeasuredAndTheNodeStarts() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FrpcAutoConfiguration.class, FrpcMetricsAutoConfiguration.class))
        .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false")
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(FrpcObserver.class);
      assertThat(context).hasSingleBean(FrpcNode.class);
    });
  }

  /** An observer of the user's own. */
  @Configuration(proxyBeanMethods = false)
  static class UserObserverConfiguration {
    @Bean
    FrpcObserver userObserver() {
      return new FrpcObserver() {
      };
    }
  }

  @Test
  void aUserObserverReplacesTheMicrometerOne() {
    lobby.withUserConfiguration(UserObserverConfiguration.class).run(context -> {
      assertThat(context).hasSingleBean(FrpcObserver.class);
      assertThat(context).doesNotHaveBean("frpcMicrometerObserver");
      assertThat(context).hasSingleBean(FrpcMeterBinder.class);
    });
  }
}
