package io.frpc.sample.server;

import io.frpc.FrpcCommand;
import io.frpc.LocalNode;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code test_m}. Each instance has its own number; no locks are needed because frpc runs
 * one message at a time per instance.
 */
abstract class TestModule {

  private static final Logger log = LoggerFactory.getLogger(TestModule.class);

  private final LocalNode node;
  private final String instanceName;
  private final int number;
  private long hellos;

  TestModule(LocalNode node, InstanceNumbers numbers, String instanceName) {
    this.node = node;
    this.instanceName = instanceName;
    this.number = numbers.next();
  }

  public void hello(String who) {
    hellos++;
    log.info("{} sent hello to {} instance {} ({} so far)", who, instanceName, number, hellos);
  }

  public String ping() {
    return "pong name=" + instanceName + " node=" + node.id().id() + " instance=" + number;
  }

  @FrpcCommand("large_msg")
  public List<Integer> largeMessage(List<Integer> numbers) {
    return numbers;
  }

  @FrpcCommand("call_error_test")
  public String callErrorTest() {
    throw new IllegalStateException("call_error_test always fails");
  }

  @FrpcCommand("call_same_error_test")
  public String callSameErrorTest() {
    if (node.id().id() != 1) {
      throw new IllegalStateException("call_same_error_test fails on every node but id 1");
    }
    return "ok from node " + node.id().id();
  }
}
