package io.frpc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A node in a process of its own, for {@link FileDescriptorLimitTest}, which starts it under a low file
 * descriptor limit: prints its port, serves module "svc" until its standard input closes.
 */
public final class FdLimitedNode {

  private FdLimitedNode() {
  }

  /** Handler of module "svc". */
  public static final class Service {
    public String echo(String text) {
      return text;
    }
  }

  public static void main(String[] args) throws Exception {
    try (FrpcNode node = FrpcNode.builder("game", 1).listen("127.0.0.1", 0).ioThreads(2)
        .shutdownTimeout(Duration.ofSeconds(1))
        .handler(HandlerDefinition.of("svc", null, 1, self -> new Service())).build()) {
      node.start();
      System.out.println("PORT " + node.listenAddress().getPort());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
