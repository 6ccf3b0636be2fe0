package io.frpc.spring.autoconfigure;

import io.frpc.observability.FrpcTracer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Carries Micrometer Tracing spans across nodes. A call made while a span is current gets a client span
 * (named {@code module.command}) whose propagation fields (W3C: {@code traceparent}, and
 * {@code tracestate} when it fits) travel as {@code name=value} lines of at most 255 bytes; the called node
 * runs the command in a server span extracted from them. Calls made outside a trace carry nothing.
 */
final class MicrometerFrpcTracer implements FrpcTracer {

  private static final int MAX_BYTES = 255;

  private final Tracer tracer;
  private final Propagator propagator;

  MicrometerFrpcTracer(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public ClientSpan callStarted(String nodeName, String module, String command) {
    Span parent = tracer.currentSpan();
    if (parent == null) {
      return ClientSpan.NONE;
    }
    Span span = tracer.spanBuilder().setParent(parent.context()).name(module + "." + command).kind(Span.Kind.CLIENT)
        .remoteServiceName(nodeName).start();
    Map<String, String> fields = new LinkedHashMap<>();
    propagator.inject(span.context(), fields, Map::put);
    String context = encode(fields);
    return new ClientSpan() {
      @Override
      public String traceContext() {
        return context;
      }

      @Override
      public void end(Throwable failure) {
        if (failure != null) {
          span.error(failure);
        }
        span.end();
      }
    };
  }

  @Override
  public ServerScope requestStarted(String traceContext, String module, String command) {
    if (traceContext == null) {
      return ServerScope.NONE;
    }
    Map<String, String> fields = decode(traceContext);
    Span span = propagator.extract(fields, Map::get).name(module + "." + command).kind(Span.Kind.SERVER).start();
    Tracer.SpanInScope scope = tracer.withSpan(span);
    return new ServerScope() {
      @Override
      public String traceId() {
        return span.context().traceId();
      }

      @Override
      public void close(Throwable failure) {
        if (failure != null) {
          span.error(failure);
        }
        scope.close();
        span.end();
      }
    };
  }

  /** The fields as {@code name=value} lines, in the propagator's order, leaving out what does not fit. */
  private String encode(Map<String, String> fields) {
    StringBuilder context = new StringBuilder();
    int bytes = 0;
    for (String name : propagator.fields()) {
      String value = fields.get(name);
      if (value == null) {
        continue;
      }
      String line = (context.length() == 0 ? "" : "\n") + name + "=" + value;
      int lineBytes = line.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + lineBytes <= MAX_BYTES) {
        context.append(line);
        bytes += lineBytes;
      }
    }
    return context.length() == 0 ? null : context.toString();
  }

  private static Map<String, String> decode(String context) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : context.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        fields.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return fields;
  }
}
