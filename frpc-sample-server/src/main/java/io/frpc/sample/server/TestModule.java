package io.frpc.sample.server;

import io.frpc.FrpcCommand;
import io.frpc.FrpcCall;
import io.frpc.FrpcInstance;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code test_m}. Each instance knows who it is ({@link FrpcInstance}) and keeps its own
 * count; no locks are needed because frpc runs one message at a time per instance.
 */
abstract class TestModule {

  private static final Logger log = LoggerFactory.getLogger(TestModule.class);

  private final FrpcInstance self;
  private long hellos;

  TestModule(FrpcInstance self) {
    this.self = self;
  }

  public void hello(String who) {
    hellos++;
    log.info("{} (from node {}) sent hello to {} ({} so far)", who, FrpcCall.current().caller(), self, hellos);
  }

  public String ping() {
    return "pong name=" + self.instanceName() + " node=" + self.node().id() + " instance=" + self.index();
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
    if (self.node().id() != 1) {
      throw new IllegalStateException("call_same_error_test fails on every node but id 1");
    }
    return "ok from node " + self.node().id();
  }
}
