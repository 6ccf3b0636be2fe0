package io.frpc.sample.server;

import io.frpc.LocalNode;
import io.frpc.spring.FrpcHandler;

/** Three instances of {@code test_m} named {@code test_one}. */
@FrpcHandler(module = "test_m", instanceName = "test_one", instances = 3)
class TestOneModule extends TestModule {

  TestOneModule(LocalNode node, InstanceNumbers numbers) {
    super(node, numbers, "test_one");
  }
}
