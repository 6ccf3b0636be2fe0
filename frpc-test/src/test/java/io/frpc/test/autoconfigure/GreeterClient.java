package io.frpc.test.autoconfigure;

import io.frpc.client.FrpcClient;

/** The typed client of module "greeter". */
@FrpcClient(node = "slice_app", module = "greeter")
public interface GreeterClient {

  String greet(String who);
}
