package io.frpc.sample.server;

import io.frpc.FrpcInstance;
import io.frpc.spring.FrpcHandler;

/** Three instances of {@code test_m} named {@code test_one}. */
@FrpcHandler(module = "test_m", instanceName = "test_one", instances = 3)
class TestOneModule extends TestModule {

  TestOneModule(FrpcInstance self) {
    super(self);
  }
}
