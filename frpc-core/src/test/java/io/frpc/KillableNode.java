package io.frpc;

import java.time.Duration;

/**
 * Node {@code game:<id>} serving {@link GracefulDrainTest.Service} in a process of its own, so a test can
 * kill it with SIGKILL: {@code java io.frpc.KillableNode <id> <port>}. Prints {@code READY} once listening.
 */
public final class KillableNode {

  private KillableNode() {
  }

  public static void main(String[] args) throws InterruptedException {
    FrpcNode node = FrpcNode.builder("game", Integer.parseInt(args[0])).listen("127.0.0.1", Integer.parseInt(args[1]))
        .ioThreads(1).shutdownTimeout(Duration.ofSeconds(1))
        .handler(HandlerDefinition.of("svc", null, 4, GracefulDrainTest.Service::new)).build();
    node.start();
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
