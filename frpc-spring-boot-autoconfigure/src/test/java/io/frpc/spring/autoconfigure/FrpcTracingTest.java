package io.frpc.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.spring.FrpcHandler;
import io.frpc.observability.FrpcTracer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** A trace spans caller and handler through Micrometer Tracing (Brave, W3C propagation). */
class FrpcTracingTest {

  private static final AutoConfigurations FRPC = AutoConfigurations.of(FrpcAutoConfiguration.class,
      FrpcTracingAutoConfiguration.class);

  /** Brave with W3C propagation, keeping every finished span. */
  static final class Brave {
    final List<MutableSpan> finished = new CopyOnWriteArrayList<>();
    final Tracing tracing = Tracing.newBuilder()
        .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
        .propagationFactory(new W3CPropagation())
        .addSpanHandler(new SpanHandler() {
          @Override
          public boolean end(brave.propagation.TraceContext context, MutableSpan span, Cause cause) {
            finished.add(span);
            return true;
          }
        })
        .build();
    final Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
        new BraveBaggageManager());
  }

  @Configuration(proxyBeanMethods = false)
  static class TracingConfiguration {
    @Bean
    Brave brave() {
      return new Brave();
    }

    @Bean
    Tracer tracer(Brave brave) {
      return brave.tracer;
    }

    @Bean
    Propagator propagator(Brave brave) {
      return new BravePropagator(brave.tracing);
    }
  }

  /** Module "traced": tells the trace id its command runs in, and what its log lines would carry. */
  @FrpcHandler(module = "traced")
  public static class TracedHandler {
    private final Tracer tracer;

    public TracedHandler(Tracer tracer) {
      this.tracer = tracer;
    }

    public String traceId() {
      Span current = tracer.currentSpan();
      return current == null ? "none" : current.context().traceId();
    }

    public String logContext() {
      return MDC.get("traceId") + " " + MDC.get("frpc.caller") + " " + MDC.get("frpc.command");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import({TracingConfiguration.class, TracedHandler.class})
  static class GameConfiguration {
  }

  @Test
  void aCallMadeInASpanRunsItsCommandInTheSameTrace() {
    new ApplicationContextRunner().withConfiguration(FRPC).withUserConfiguration(GameConfiguration.class)
        .withPropertyValues("frpc.node.name=game", "frpc.server.port=0", "frpc.server.host=127.0.0.1")
        .run(game -> new ApplicationContextRunner().withConfiguration(FRPC)
            .withUserConfiguration(TracingConfiguration.class)
            .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false",
                "frpc.discovery.static.nodes.game.1=127.0.0.1:" + game.getBean(FrpcNode.class).listenAddress().getPort())
            .run(lobby -> {
              assertThat(lobby.getBean(FrpcTracer.class)).isInstanceOf(MicrometerFrpcTracer.class);
              Tracer tracer = lobby.getBean(Tracer.class);
              FrpcTemplate frpc = lobby.getBean(FrpcTemplate.class);

              // outside a trace: nothing is carried
              assertThat(frpc.module("game", "traced").call("traceId", String.class)).isEqualTo("none");

              Span request = tracer.nextSpan().name("request").start();
              String traceId;
              try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
                traceId = frpc.module("game", "traced").call("traceId", String.class);
                assertThat(frpc.module("game", "traced").call("logContext", String.class))
                    .startsWith(request.context().traceId() + " lobby:").endsWith(" logContext");
              } finally {
                request.end();
              }
              assertThat(traceId).isEqualTo(request.context().traceId());

              Brave lobbySpans = lobby.getBean(Brave.class);
              Brave gameSpans = game.getBean(Brave.class);
              await().atMost(Duration.ofSeconds(5)).until(() -> gameSpans.finished.size() == 2
                  && lobbySpans.finished.size() == 3);
              MutableSpan client = lobbySpans.finished.stream().filter(s -> s.kind() == brave.Span.Kind.CLIENT)
                  .findFirst().orElseThrow();
              MutableSpan server = gameSpans.finished.get(0);
              assertThat(client.name()).isEqualToIgnoringCase("traced.traceId");
              assertThat(client.remoteServiceName()).isEqualTo("game");
              assertThat(client.parentId()).isEqualTo(request.context().spanId());
              assertThat(server.kind()).isEqualTo(brave.Span.Kind.SERVER);
              assertThat(server.traceId()).isEqualTo(traceId);
              assertThat(server.parentId()).isEqualTo(client.id());
            }));
  }

  @Test
  void withoutATracerNothingIsCarriedAndWithoutMicrometerTracingThereIsNoTracer() {
    new ApplicationContextRunner().withConfiguration(FRPC)
        .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false")
        .run(context -> assertThat(context.getBean(FrpcTracer.class)).isSameAs(FrpcTracer.NONE));
    new ApplicationContextRunner().withConfiguration(FRPC).withClassLoader(new FilteredClassLoader(Tracer.class))
        .withPropertyValues("frpc.node.name=lobby", "frpc.server.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(FrpcTracer.class);
        });
  }
}
