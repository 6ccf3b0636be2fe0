package io.frpc.status;

/**
 * The tracing SPI under its former package.
 *
 * @deprecated moved to {@link io.frpc.observability.FrpcTracer}; this alias goes in the next minor version
 */
@Deprecated(forRemoval = true)
public interface FrpcTracer extends io.frpc.observability.FrpcTracer {
}
