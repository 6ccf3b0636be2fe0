package io.frpc.test.autoconfigure;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/** Closes the {@link FrpcStubs} of a test's context after each test method, so the next one starts with none. */
final class FrpcStubsTestExecutionListener implements TestExecutionListener, Ordered {

  @Override
  public void afterTestMethod(TestContext testContext) {
    if (testContext.hasApplicationContext()) {
      testContext.getApplicationContext().getBeanProvider(FrpcStubs.class).ifAvailable(FrpcStubs::close);
    }
  }

  /** Among the last listeners, as Spring Boot's resetting of mocks. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 100;
  }
}
