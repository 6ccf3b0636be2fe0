package io.frpc.bench;

import brave.Tracing;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The frpc-tracing variant's tracer: Brave through Micrometer Tracing with W3C propagation, every trace
 * sampled, finished spans not exported (what is measured is frpc's part: spans, context, propagation).
 */
@Configuration(proxyBeanMethods = false)
class BraveTracing {

  @Bean(destroyMethod = "close")
  Tracing tracing() {
    return Tracing.newBuilder().sampler(Sampler.ALWAYS_SAMPLE)
        .currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
        .propagationFactory(new W3CPropagation()).build();
  }

  @Bean
  Tracer tracer(Tracing tracing) {
    return new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
        new BraveBaggageManager());
  }

  @Bean
  Propagator propagator(Tracing tracing) {
    return new BravePropagator(tracing);
  }
}
