package io.frpc.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcNode;
import io.frpc.Transport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** The whole application, not a slice, with its node in the JVM. */
@SpringBootTest(properties = "frpc.node.name=slice_app")
@AutoConfigureFrpc
class AutoConfigureFrpcTest {

  @Autowired
  private ApplicationContext context;

  @Autowired
  private FrpcNode node;

  @Autowired
  private GreeterClient greeter;

  @Autowired
  private FrpcStubs stubs;

  @Test
  void everyBeanIsThereAndTheNodeRunsInJvm() {
    assertThat(context.getBeansOfType(UnrelatedService.class)).hasSize(1);
    assertThat(node.listenAddress().getHostString()).isEqualTo(Transport.IN_JVM_HOST);
    assertThat(greeter.greet("whole app")).isEqualTo("hello whole app");
  }

  @Test
  void stubsWorkAsInTheSlice() {
    stubs.node("game", 3).module("room_m").answers("size", args -> 4).start();

    assertThat(node.template().module("game", "room_m").call("size", Integer.class)).isEqualTo(4);
  }
}
