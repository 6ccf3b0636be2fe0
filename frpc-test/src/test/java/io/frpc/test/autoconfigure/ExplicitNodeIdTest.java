package io.frpc.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A second context of the same application, running beside {@link FrpcTestSliceTest}'s when the cache keeps both. */
@FrpcTest(properties = {"frpc.node.name=slice_app", "frpc.node.id=7"})
class ExplicitNodeIdTest {

  @Autowired
  private FrpcNode node;

  @Autowired
  private FrpcTemplate frpc;

  @Test
  void theTestsOwnNodeIdWins() {
    assertThat(node.id().id()).isEqualTo(7);
    assertThat(frpc.module("slice_app", "greeter").node(7).call("greet", String.class, "seven")).isEqualTo("hello seven");
  }
}
