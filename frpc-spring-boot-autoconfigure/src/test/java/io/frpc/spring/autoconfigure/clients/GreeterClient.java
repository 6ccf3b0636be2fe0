package io.frpc.spring.autoconfigure.clients;

import io.frpc.client.FrpcClient;
import java.util.concurrent.CompletableFuture;

/** Found by scanning the application's packages. */
@FrpcClient(node = "game", module = "greeter")
public interface GreeterClient {

  String greet(String who);

  @io.frpc.FrpcCommand("greet")
  CompletableFuture<String> greetLater(String who);
}
