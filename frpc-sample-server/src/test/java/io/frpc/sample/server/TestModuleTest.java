package io.frpc.sample.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frpc.FrpcNode;
import io.frpc.FrpcTemplate;
import io.frpc.InstanceReply;
import io.frpc.ModuleCall;
import io.frpc.RemoteCallException;
import io.frpc.test.autoconfigure.FrpcTest;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.core.type.TypeReference;

/** The server's module test_m, served by its six handler instances on an in-JVM node of the test's own. */
@FrpcTest
class TestModuleTest {

  @Autowired
  private FrpcTemplate frpc;

  @Autowired
  private FrpcNode node;

  private ModuleCall testM() {
    return frpc.module("cluster_server", "test_m");
  }

  @Test
  void everyInstanceAnswersAPingWithItsNameNodeAndIndex() {
    List<InstanceReply<String>> replies = testM().broadcast().call("ping", String.class);

    assertThat(replies).extracting(InstanceReply::value).containsExactlyInAnyOrder(pong("test_one", 0),
        pong("test_one", 1), pong("test_one", 2), pong("test_two", 0), pong("test_two", 1), pong("test_two", 2));
  }

  @Test
  void aPingByKeyReachesTheInstanceOfThatKey() {
    assertThat(testM().instance("test_two").mod(4).call("ping", String.class)).isEqualTo(pong("test_two", 1));
  }

  @Test
  void largeMessageAnswersTheNumbersItWasSent() {
    List<Integer> numbers = IntStream.range(0, 50_000).boxed().toList();

    assertThat(testM().call("large_msg", new TypeReference<List<Integer>>() { }, numbers)).isEqualTo(numbers);
  }

  @Test
  void callErrorTestFailsWithItsMessage() {
    assertThatThrownBy(() -> testM().call("call_error_test", String.class))
        .isInstanceOf(RemoteCallException.class).hasMessageContaining("call_error_test always fails");
  }

  @Test
  void callSameErrorTestFailsOnANodeWhoseIdIsNotOne() {
    assertThat(node.id().id()).isNotEqualTo(1);
    assertThatThrownBy(() -> testM().call("call_same_error_test", String.class))
        .isInstanceOf(RemoteCallException.class).hasMessageContaining("fails on every node but id 1");
  }

  /** What instance {@code index} of {@code instanceName} on the test's node answers to a ping. */
  private String pong(String instanceName, int index) {
    return "pong name=" + instanceName + " node=" + node.id().id() + " instance=" + index;
  }
}
