package io.frpc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Server JVM of the load generator: {@code BenchServer <system> <port> <nodes>} starts the system's echo
 * server, prints {@code READY}, and serves until its standard input closes.
 */
public final class BenchServer {

  private BenchServer() {
  }

  public static void main(String[] args) throws Exception {
    String system = args[0];
    int port = Integer.parseInt(args[1]);
    int nodes = Integer.parseInt(args[2]);
    AutoCloseable server = switch (system) {
      case "netty" -> NettyEcho.startServer(port, Math.min(4, Runtime.getRuntime().availableProcessors()));
      case "grpc" -> GrpcEcho.startServer(port, true);
      case "grpc-default" -> GrpcEcho.startServer(port, false);
      case "frpc", "frpc-direct", "frpc-bytes", "frpc-bytes-256k", "frpc-concurrent", "frpc-secret", "frpc-tls", "frpc-metrics", "frpc-tracing", "frpc-typed",
          "frpc-direct-nomdc" ->
          FrpcEcho.startServers(system, port, nodes);
      default -> throw new IllegalArgumentException("unknown system " + system);
    };
    System.out.println("READY");
    System.out.flush();
    // serve until the runner closes our standard input; STATS asks for this JVM's allocation and collections
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String command; (command = commands.readLine()) != null; ) {
      if (command.equals("STATS")) {
        System.out.println("STATS " + JvmMemory.now().fields());
        System.out.flush();
      }
    }
    server.close();
    System.exit(0);
  }
}
