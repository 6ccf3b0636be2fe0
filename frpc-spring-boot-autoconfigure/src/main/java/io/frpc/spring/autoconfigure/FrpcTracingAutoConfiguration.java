package io.frpc.spring.autoconfigure;

import io.frpc.observability.FrpcTracer;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Tracing across nodes, when Micrometer Tracing is on the classpath: with a {@link Tracer} and a
 * {@link Propagator} (Spring Boot's tracing auto-configuration provides both) calls carry the trace;
 * without them the node gets {@link FrpcTracer#NONE} and carries nothing.
 */
@AutoConfiguration
@ConditionalOnClass({Tracer.class, Propagator.class})
public final class FrpcTracingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  FrpcTracer frpcTracer(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    Tracer current = tracer.getIfUnique();
    Propagator fields = propagator.getIfUnique();
    return current == null || fields == null || current == Tracer.NOOP ? FrpcTracer.NONE
        : new MicrometerFrpcTracer(current, fields);
  }
}
