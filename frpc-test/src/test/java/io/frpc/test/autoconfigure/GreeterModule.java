package io.frpc.test.autoconfigure;

import io.frpc.spring.FrpcHandler;

/** Module "greeter" of node "slice_app". */
@FrpcHandler(module = "greeter")
public class GreeterModule {

  public String greet(String who) {
    return "hello " + who;
  }
}
