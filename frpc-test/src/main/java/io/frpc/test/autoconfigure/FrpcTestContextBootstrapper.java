package io.frpc.test.autoconfigure;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Bootstraps an {@link FrpcTest}: takes its {@link FrpcTest#properties() properties}. */
final class FrpcTestContextBootstrapper extends TestSliceTestContextBootstrapper<FrpcTest> {
}
