package io.frpc.bench;

import io.frpc.AllNodesCall;
import io.frpc.AllNodesReply;
import io.frpc.FrpcBytes;
import io.frpc.FrpcTemplate;
import io.frpc.ModuleCall;
import io.frpc.spring.FrpcHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.frpc.FrpcCommand;
import io.frpc.client.FrpcClient;
import io.frpc.client.Node;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** frpc as users run it: Spring Boot nodes, {@code @FrpcHandler} echo modules, calls through {@link FrpcTemplate}. */
final class FrpcEcho {

  private FrpcEcho() {
  }

  /** Echo with actor semantics: four instances, one message at a time each. */
  @FrpcHandler(module = "echo", instances = 4)
  static class Echo {
    public byte[] echo(byte[] payload) {
      return payload;
    }
  }

  /**
   * frpc's best configuration for handlers that never block: the same four actor instances run on the
   * I/O thread that read the request.
   */
  @FrpcHandler(module = "echo_direct", instances = 4, nonBlocking = true)
  static class DirectEcho {
    public byte[] echo(byte[] payload) {
      return payload;
    }
  }

  /**
   * The direct echo for applications that move blobs: {@link FrpcBytes} in and out, so the reply is written from the
   * memory the request was received into, as raw Netty echoes its read buffer.
   */
  @FrpcHandler(module = "echo_bytes", instances = 4, nonBlocking = true)
  static class BytesEcho {
    public FrpcBytes echo(FrpcBytes payload) {
      return payload;
    }
  }

  /** The same echo with {@code concurrent = true}. */
  @FrpcHandler(module = "echo_concurrent", concurrent = true, mailboxCapacity = 100_000)
  static class ConcurrentEcho {
    public byte[] echo(byte[] payload) {
      return payload;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({Echo.class, DirectEcho.class, BytesEcho.class, ConcurrentEcho.class})
  static class ServerNode {
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class ClientNode {
  }

  /** The echo module as a typed client, routed like the string form ({@code node(1)}). */
  @FrpcClient(node = "bench", module = "echo")
  public interface EchoApi {
    byte[] echo(@Node int node, byte[] payload);

    @FrpcCommand("echo")
    CompletableFuture<byte[]> echoLater(@Node int node, byte[] payload);
  }

  /**
   * Starts {@code nodes} server nodes bench:1.. on consecutive ports from {@code port}; {@code system}
   * {@code frpc-secret} adds a shared secret, {@code frpc-tls} TLS (certificates in {@code frpc.bench.certs}),
   * {@code frpc-direct-nomdc} turns the command's MDC off.
   */
  static AutoCloseable startServers(String system, int port, int nodes) {
    List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    for (int id = 1; id <= nodes; id++) {
      List<String> args = new ArrayList<>(List.of("--frpc.node.name=bench", "--frpc.node.id=" + id,
          "--frpc.server.port=" + (port + id - 1), "--frpc.server.host=127.0.0.1"));
      args.addAll(security(system, "server"));
      args.addAll(metrics(system));
      if (system.equals("frpc-direct-nomdc")) {
        args.add("--frpc.server.mdc=false");
      }
      args.addAll(socketBuffers(system));
      contexts.add(new SpringApplicationBuilder(configurations(system, ServerNode.class)).web(WebApplicationType.NONE)
          .run(common(args.toArray(String[]::new))));
    }
    return () -> contexts.forEach(ConfigurableApplicationContext::close);
  }

  /** {@code frpc-bytes-256k} bounds the kernel's buffers of its connections, on both sides. */
  private static List<String> socketBuffers(String system) {
    return system.equals("frpc-bytes-256k") ? List.of("--frpc.socket-buffer-size=256KB") : List.of();
  }

  /** The properties of the security variants, the same on both sides: a secret, or TLS from a bundle. */
  private static List<String> security(String system, String side) {
    String certs = System.getProperty("frpc.bench.certs");
    return switch (system) {
      case "frpc-secret" -> List.of("--frpc.security.secret=benchmark-shared-secret-0123456789");
      case "frpc-tls" -> List.of("--frpc." + side + ".ssl.bundle=bench",
          "--spring.ssl.bundle.jks.bench.keystore.location=file:" + certs + "/node.p12",
          "--spring.ssl.bundle.jks.bench.keystore.password=changeit",
          "--spring.ssl.bundle.jks.bench.keystore.type=PKCS12",
          "--spring.ssl.bundle.jks.bench.truststore.location=file:" + certs + "/trust.p12",
          "--spring.ssl.bundle.jks.bench.truststore.password=changeit",
          "--spring.ssl.bundle.jks.bench.truststore.type=PKCS12");
      default -> List.of();
    };
  }

  /**
   * Actuator's Micrometer registry is on the classpath: {@code frpc-metrics} lets frpc time every call and
   * request into it; every other variant runs without frpc's metrics, as a node without a registry does.
   */
  private static List<String> metrics(String system) {
    return system.equals("frpc-metrics") ? List.of()
        : List.of("--spring.autoconfigure.exclude=io.frpc.spring.autoconfigure.FrpcMetricsAutoConfiguration");
  }

  /** {@code frpc-tracing} adds a Brave tracer on both sides. */
  private static Class<?>[] configurations(String system, Class<?> node) {
    return system.equals("frpc-tracing") ? new Class<?>[] {node, BraveTracing.class} : new Class<?>[] {node};
  }

  static Client connect(String system, int port, int nodes, String module) {
    List<String> args = new ArrayList<>(List.of("--frpc.node.name=bench-client", "--frpc.server.enabled=false",
        "--frpc.client.call-timeout=120s"));
    args.addAll(security(system, "client"));
    args.addAll(metrics(system));
    if (system.startsWith("frpc-direct") || system.startsWith("frpc-bytes")) {
      args.add("--frpc.client.direct-completion=true");
    }
    args.addAll(socketBuffers(system));
    for (int id = 1; id <= nodes; id++) {
      args.add("--frpc.discovery.static.nodes.bench." + id + "=127.0.0.1:" + (port + id - 1));
    }
    ConfigurableApplicationContext context = new SpringApplicationBuilder(configurations(system, ClientNode.class))
        .web(WebApplicationType.NONE).run(common(args.toArray(String[]::new)));
    FrpcTemplate frpc = context.getBean(FrpcTemplate.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (frpc.activeNodeIds("bench").size() < nodes) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("frpc benchmark nodes did not connect within 30 s");
      }
      Thread.onSpinWait();
    }
    Tracer tracer = system.equals("frpc-tracing") ? context.getBean(Tracer.class) : null;
    EchoApi typed = system.equals("frpc-typed") ? frpc.client(EchoApi.class) : null;
    return new Client(context, frpc.module("bench", module), tracer, typed, system.startsWith("frpc-bytes"));
  }

  /** The bytes of a reply view, copied into an array as raw Netty's client copies its reply; the view is closed. */
  private static byte[] copied(FrpcBytes reply) {
    try (reply) {
      return reply.toByteArray();
    }
  }

  private static String[] common(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--spring.main.banner-mode=off", "--logging.level.root=warn"));
    return all.toArray(String[]::new);
  }

  /** The frpc client; the call chains are built once, as a careful user would. */
  static final class Client implements EchoClient {
    private final ConfigurableApplicationContext context;
    private final ModuleCall one;
    private final AllNodesCall all;
    /** With tracing: every call is made in this span, as in a traced request handler; else null. */
    private final Span request;
    private final Tracer tracer;
    /** The typed client of the frpc-typed variant, else null. */
    private final EchoApi typed;
    /** Whether payloads travel as {@link FrpcBytes}, the reply copied out of its view as raw Netty's client does. */
    private final boolean bytes;

    Client(ConfigurableApplicationContext context, ModuleCall module, Tracer tracer, EchoApi typed, boolean bytes) {
      this.context = context;
      this.one = module.node(1);
      this.all = module.allNodes();
      this.tracer = tracer;
      this.request = tracer == null ? null : tracer.nextSpan().name("benchmark").start();
      this.typed = typed;
      this.bytes = bytes;
    }

    @Override
    public CompletableFuture<byte[]> echo(byte[] payload) {
      if (typed != null) {
        return typed.echoLater(1, payload);
      }
      if (bytes) {
        return one.callAsync("echo", FrpcBytes.class, FrpcBytes.wrap(payload)).thenApply(FrpcEcho::copied);
      }
      if (request == null) {
        return one.callAsync("echo", byte[].class, (Object) payload);
      }
      try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
        return one.callAsync("echo", byte[].class, (Object) payload);
      }
    }

    /** frpc's synchronous call: the caller's thread waits and decodes the reply itself. */
    @Override
    public byte[] echoAndWait(byte[] payload) {
      if (typed != null) {
        return typed.echo(1, payload);
      }
      if (bytes) {
        return copied(one.call("echo", FrpcBytes.class, FrpcBytes.wrap(payload)));
      }
      if (request == null) {
        return one.call("echo", byte[].class, (Object) payload);
      }
      try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
        return one.call("echo", byte[].class, (Object) payload);
      }
    }

    @Override
    public CompletableFuture<byte[]> echoByKey(long key, byte[] payload) {
      if (bytes) {
        return one.mod(key).callAsync("echo", FrpcBytes.class, FrpcBytes.wrap(payload)).thenApply(FrpcEcho::copied);
      }
      return one.mod(key).callAsync("echo", byte[].class, (Object) payload);
    }

    /** The same echo on every connected node. */
    CompletableFuture<AllNodesReply<byte[]>> echoOnAll(byte[] payload) {
      return all.callAsync("echo", byte[].class, (Object) payload).thenApply(reply -> {
        if (!reply.allSucceeded()) {
          throw new IllegalStateException("fan-out call failed on " + reply.failures());
        }
        return reply;
      });
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
