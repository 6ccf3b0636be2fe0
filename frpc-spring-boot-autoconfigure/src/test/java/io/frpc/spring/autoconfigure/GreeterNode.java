package io.frpc.spring.autoconfigure;

import io.frpc.spring.FrpcHandler;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** A node serving module "greeter", for tests that need one module to call. */
@Configuration(proxyBeanMethods = false)
@Import(GreeterNode.Greeter.class)
class GreeterNode {

  /** Module "greeter": {@code greet(who)} answers {@code "hello " + who}. */
  @FrpcHandler(module = "greeter")
  public static class Greeter {
    public String greet(String who) {
      return "hello " + who;
    }
  }
}
