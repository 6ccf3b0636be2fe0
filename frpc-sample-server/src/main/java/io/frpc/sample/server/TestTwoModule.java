package io.frpc.sample.server;

import io.frpc.FrpcInstance;
import io.frpc.spring.FrpcHandler;

/** Three instances of {@code test_m} named {@code test_two}. */
@FrpcHandler(module = "test_m", instanceName = "test_two", instances = 3)
class TestTwoModule extends TestModule {

  TestTwoModule(FrpcInstance self) {
    super(self);
  }
}
