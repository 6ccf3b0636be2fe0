package io.frpc.test.autoconfigure;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * What component scanning picks up in an {@link FrpcTest}: the types listed in
 * {@code META-INF/spring/io.frpc.test.autoconfigure.FrpcTest.includes}, and the test's own filters.
 */
final class FrpcTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<FrpcTest> {

  FrpcTypeExcludeFilter(Class<?> testClass) {
    super(testClass);
  }
}
